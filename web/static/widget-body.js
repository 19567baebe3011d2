/* The embeddable widget. Not loaded on its own: GET /widget.js serves
 *   (function (FAQBOT) { <chat.js> <this file> })(<config>);
 * where FAQBOT holds the widget's CSS, the starter questions and titles per
 * knowledge base, and whether feedback is on.
 *
 *   <script src="https://faq.example.com/widget.js" data-title="Career questions"
 *           data-kb="python-backend-developer" defer></script>
 *
 * data-server (base URL of the service; default: the origin widget.js came
 * from), data-position (bottom-right | bottom-left), data-color (accent),
 * data-text-color (text on the accent). All DOM and CSS live in a shadow root.
 */
var script = document.currentScript || (function () {
  var all = document.querySelectorAll("script[src*='widget.js']");
  return all[all.length - 1] || null;
})();

if (script && !window.FaqbotWidget) {
  window.FaqbotWidget = {pending: true};
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
}

function attr(name) {
  var v = script.getAttribute("data-" + name);
  return v === null ? "" : v.trim();
}

function cssColor(value) {
  return value && window.CSS && CSS.supports && CSS.supports("color", value) ? value : "";
}

function mount() {
  if (document.querySelector("faqbot-widget")) return;
  var doc = document;
  var el = FaqbotChat.el;
  var scriptUrl = new URL(script.src, doc.baseURI);
  var server = (attr("server") ? new URL(attr("server"), doc.baseURI).href : scriptUrl.origin).replace(/\/+$/, "");
  var kb = attr("kb");
  var kbTitle = FAQBOT.titles[kb] || FAQBOT.titles[""] || "";
  FaqbotChat.setStrings((FAQBOT.strings || {})[kb] || (FAQBOT.strings || {})[""] || {});
  var tr = FaqbotChat.tr;
  var title = attr("title") || kbTitle || "Questions?";
  var position = attr("position") === "bottom-left" ? "bottom-left" : "bottom-right";
  var storeKey = "faqbot:widget:" + server + ":" + kb;

  var host = doc.createElement("faqbot-widget");
  host.style.setProperty("all", "initial", "important");
  host.style.setProperty("display", "block", "important");
  var shadow = host.attachShadow({mode: "open"});
  var css = FAQBOT.css;
  if ("adoptedStyleSheets" in shadow && typeof CSSStyleSheet === "function" && "replaceSync" in CSSStyleSheet.prototype) {
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    shadow.adoptedStyleSheets = [sheet];
  } else {
    shadow.appendChild(el(doc, "style", null, css));
  }

  var root = el(doc, "div", "fb-root fb-" + position);
  var color = cssColor(attr("color"));
  var textColor = cssColor(attr("text-color"));
  if (color) root.style.setProperty("--faqbot-accent", color);
  if (textColor) root.style.setProperty("--faqbot-on-accent", textColor);

  // the panel: a labelled, non-modal dialog
  var panel = el(doc, "div", "fb-panel");
  panel.id = "faqbot-panel";
  panel.hidden = true;
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-modal", "false");
  panel.setAttribute("aria-labelledby", "faqbot-title");
  var header = el(doc, "div", "fb-header");
  var heading = el(doc, "h2", "fb-title", title);
  heading.id = "faqbot-title";
  var clearBtn = el(doc, "button", "fb-icon-button fb-clear");
  clearBtn.type = "button";
  clearBtn.setAttribute("aria-label", tr("new_conversation", "New conversation"));
  clearBtn.title = tr("new_conversation", "New conversation");
  clearBtn.appendChild(FaqbotChat.svg(doc, "fb-icon", ["M12 5V2L7 6l5 4V7a6 6 0 1 1-6 6H4a8 8 0 1 0 8-8z"]));
  var closeBtn = el(doc, "button", "fb-icon-button fb-close");
  closeBtn.type = "button";
  closeBtn.setAttribute("aria-label", tr("close", "Close chat"));
  closeBtn.title = "Close";
  closeBtn.appendChild(FaqbotChat.svg(doc, "fb-icon", ["M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19 12 13.4 17.6 19 19 17.6 13.4 12 19 6.4 17.6 5 12 10.6z"]));
  header.appendChild(heading);
  header.appendChild(clearBtn);
  header.appendChild(closeBtn);

  var chatBox = el(doc, "div", "chat fb-chat");
  var scroller = el(doc, "div", "fb-scroll");
  var intro = FaqbotChat.renderIntro(doc, kbTitle ? tr("intro_title", "Ask about the {title}", {title: kbTitle}) : tr("ask_me", "Ask me a question"),
    tr("widget_intro", "Type a question in your own words, or pick one of these."), FAQBOT.starters[kb] || FAQBOT.starters[""] || [], 3);
  var log = el(doc, "div", "log");
  log.setAttribute("role", "log");
  log.setAttribute("aria-live", "polite");
  log.setAttribute("aria-label", tr("conversation", "Conversation"));
  var typing = FaqbotChat.renderTyping(doc);
  scroller.appendChild(intro);
  scroller.appendChild(log);
  scroller.appendChild(typing);
  var composer = FaqbotChat.renderComposer(doc, "faqbot", FAQBOT.max_question_chars);
  chatBox.appendChild(scroller);
  chatBox.appendChild(composer.form);
  panel.appendChild(header);
  panel.appendChild(chatBox);

  var launcher = el(doc, "button", "fb-launcher");
  launcher.type = "button";
  launcher.setAttribute("aria-label", title);
  launcher.setAttribute("aria-haspopup", "dialog");
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("aria-controls", panel.id);
  launcher.appendChild(FaqbotChat.svg(doc, "fb-icon fb-icon-chat",
    ["M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6.5a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01z"]));
  launcher.appendChild(FaqbotChat.svg(doc, "fb-icon fb-icon-close", ["M7.4 8.6 12 13.2l4.6-4.6L18 10l-6 6-6-6z"]));

  root.appendChild(panel);
  root.appendChild(launcher);
  shadow.appendChild(root);
  doc.body.appendChild(host);

  var chat = FaqbotChat.create({
    doc: doc,
    root: chatBox,
    log: log,
    typing: typing,
    form: composer.form,
    input: composer.input,
    send: composer.send,
    scroller: scroller,
    api: server + "/ask",
    base: server + "/",
    kb: kb,
    maxChars: FAQBOT.max_question_chars,
    headingLevel: 3,
    linkTarget: "_blank",
    feedbackUrl: FAQBOT.feedback ? server + "/feedback" : null,
    storageKey: storeKey
  });

  function remember(open) {
    try { sessionStorage.setItem(storeKey + ":open", open ? "1" : ""); } catch (e) { /* blocked */ }
  }

  function open(focus) {
    panel.hidden = false;
    root.classList.add("is-open");
    launcher.setAttribute("aria-expanded", "true");
    remember(true);
    scroller.scrollTop = scroller.scrollHeight;
    if (focus !== false) composer.input.focus();
  }

  function close(focusLauncher) {
    panel.hidden = true;
    root.classList.remove("is-open");
    launcher.setAttribute("aria-expanded", "false");
    remember(false);
    if (focusLauncher !== false) launcher.focus();
  }

  launcher.addEventListener("click", function () {
    if (panel.hidden) open(); else close();
  });
  closeBtn.addEventListener("click", function () { close(); });
  clearBtn.addEventListener("click", function () {
    chat.clear();
    composer.input.focus();
  });
  root.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && !panel.hidden) {
      e.preventDefault();
      e.stopPropagation();
      close();
    }
  });

  var wasOpen = false;
  try { wasOpen = sessionStorage.getItem(storeKey + ":open") === "1"; } catch (e) { /* blocked */ }
  if (wasOpen) open(false);

  window.FaqbotWidget = {
    open: function () { open(); },
    close: function () { close(false); },
    toggle: function () { if (panel.hidden) open(); else close(false); },
    isOpen: function () { return !panel.hidden; }
  };
}
