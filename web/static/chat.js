/* faqbot chat: the rendering and conversation logic shared by the chat page
 * (static/page.js) and the embeddable widget (static/widget-body.js, which the
 * /widget.js route serves bundled with this file).
 *
 * Safety: everything that comes from the visitor or from the service is
 * inserted as text (createElement + textContent), never parsed as HTML, and
 * links are only followed when they are http(s).
 *
 * The chat drives markup of this shape (the page renders it server-side, the
 * widget builds it with buildChat):
 *   .chat > [.log role=log] [.typing] form.composer > textarea + button.send
 * Buttons carrying data-ask="question" ask that question when clicked, with
 * the context of the last reply, or with their own reply's context when they
 * carry one (data-context, JSON: a prompt asks in the context of its answer).
 */
var FaqbotChat = (function () {
  "use strict";

  var BULLET = "\u2022 ";
  var LABEL = /^([A-Z][^:.?!]{0,40}):(?:\s+(.*))?$/;  // "Experience: 4-6 years"; the server uses the same rule
  var MAX_STORED = 40;
  var TIMEOUT_MS = 20000;
  var uid = 0;
  /* interface strings in the knowledge base's language (web/strings.py); English when missing */
  var STRINGS = {};

  function tr(key, fallback, values) {
    var s = typeof STRINGS[key] === "string" ? STRINGS[key] : fallback;
    Object.keys(values || {}).forEach(function (k) { s = s.split("{" + k + "}").join(String(values[k])); });
    return s;
  }

  function setStrings(strings) {
    STRINGS = strings && typeof strings === "object" ? strings : {};
  }

  function h(doc, tag, cls, text) {
    var node = doc.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function svg(doc, cls, paths) {
    var ns = "http://www.w3.org/2000/svg";
    var s = doc.createElementNS(ns, "svg");
    s.setAttribute("viewBox", "0 0 24 24");
    s.setAttribute("aria-hidden", "true");
    s.setAttribute("focusable", "false");
    s.setAttribute("class", cls);
    paths.forEach(function (d) {
      var p = doc.createElementNS(ns, "path");
      p.setAttribute("d", d);
      s.appendChild(p);
    });
    return s;
  }

  /* one line, with a leading "Label:" in bold */
  function appendLine(doc, parent, line) {
    var m = LABEL.exec(line);
    if (m) {
      parent.appendChild(h(doc, "strong", null, m[1] + ":"));
      if (m[2]) parent.appendChild(doc.createTextNode(" " + m[2]));
    } else {
      parent.appendChild(doc.createTextNode(line));
    }
  }

  /* answer text: lines starting with "• " become a list, other lines paragraphs */
  function renderText(doc, text) {
    var frag = doc.createDocumentFragment();
    var list = null;
    String(text || "").split("\n").forEach(function (raw) {
      var line = raw.trim();
      if (!line) { list = null; return; }
      if (line.indexOf(BULLET) === 0) {
        if (!list) { list = h(doc, "ul", "answer-list"); frag.appendChild(list); }
        var li = h(doc, "li");
        appendLine(doc, li, line.slice(BULLET.length).trim());
        list.appendChild(li);
      } else {
        list = null;
        var p = h(doc, "p");
        appendLine(doc, p, line);
        frag.appendChild(p);
      }
    });
    return frag;
  }

  /* a list of buttons, each asking its own text (in ``context`` when given) */
  function chipList(doc, questions, label, cls, context) {
    var wrap = h(doc, "div", "chips" + (cls ? " " + cls : ""));
    var list = h(doc, "ul", "chip-list");
    if (label) {
      var heading = h(doc, "p", "chips-label", label);
      heading.id = "faqbot-chips-" + (++uid);
      list.setAttribute("aria-labelledby", heading.id);
      wrap.appendChild(heading);
    }
    questions.forEach(function (q) {
      var li = h(doc, "li");
      var b = h(doc, "button", "chip", q);
      b.type = "button";
      b.setAttribute("data-ask", q);
      if (context && typeof context === "object") b.setAttribute("data-context", JSON.stringify(context));
      li.appendChild(b);
      list.appendChild(li);
    });
    wrap.appendChild(list);
    return wrap;
  }

  function safeUrl(url, base) {
    try {
      var u = new URL(String(url), base);
      return (u.protocol === "http:" || u.protocol === "https:") ? u.href : null;
    } catch (e) {
      return null;
    }
  }

  function titles(items) {
    var out = [];
    (items || []).forEach(function (item) {
      var t = item && (typeof item === "string" ? item : item.title);
      if (t && out.indexOf(t) < 0) out.push(String(t));
    });
    return out;
  }

  /* the texts of a reply's prompts ("Next: Lead Python Developer"), without repeats */
  function promptTexts(prompts) {
    var out = [];
    (Array.isArray(prompts) ? prompts : []).forEach(function (p) {
      var t = p && typeof p.text === "string" ? p.text.trim() : "";
      if (t && out.indexOf(t) < 0) out.push(t);
    });
    return out;
  }

  /* a declined reply's one clear candidate: a prominent button asking its title */
  function renderOffer(doc, title) {
    var box = h(doc, "div", "offer");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", tr("did_you_mean", "Did you mean"));
    var b = h(doc, "button", "offer-button");
    b.type = "button";
    b.setAttribute("data-ask", title);
    b.appendChild(h(doc, "span", "offer-title", title));
    b.appendChild(svg(doc, "offer-icon", ["M12 4 10.6 5.4 16.2 11H4v2h12.2l-5.6 5.6L12 20l8-8z"]));
    box.appendChild(b);
    return box;
  }

  function renderQuestion(doc, text) {
    var msg = h(doc, "div", "msg msg-user");
    var bubble = h(doc, "p", "bubble");
    bubble.appendChild(h(doc, "span", "sr-only", tr("you_asked", "You asked: ")));
    bubble.appendChild(doc.createTextNode(text));
    msg.appendChild(bubble);
    return msg;
  }

  /* o: {headingLevel, base, linkTarget, feedback} */
  function renderReply(doc, data, o) {
    o = o || {};
    data = data || {};
    var answer = data.answered && data.answer ? data.answer : null;
    var msg = h(doc, "div", "msg msg-bot " + (answer ? "msg-answer" : "msg-declined"));
    var bubble = h(doc, "div", "bubble");
    msg.appendChild(bubble);
    if (answer) {
      (data.corrections || []).forEach(function (c) {
        if (c && c.from && c.to) {
          bubble.appendChild(h(doc, "p", "note", tr("showing_results", "Showing results for \u201c{to}\u201d instead of \u201c{from}\u201d.", {to: c.to, from: c.from})));
        }
      });
      var path = Array.isArray(answer.path) ? answer.path.slice(0, -1) : [];
      if (path.length) bubble.appendChild(h(doc, "p", "answer-path", path.join(" \u203a ")));
      var level = Math.min(Math.max(o.headingLevel || 2, 2), 6);
      bubble.appendChild(h(doc, "h" + level, "answer-title", answer.title));
      var body = h(doc, "div", "answer-body");
      body.appendChild(renderText(doc, answer.text));
      bubble.appendChild(body);
      var foot = h(doc, "div", "answer-foot");
      var href = answer.url && safeUrl(answer.url, o.base || doc.baseURI);
      if (href) {
        var link = h(doc, "a", "answer-source", tr("read_section", "Read this section in the guide"));
        link.href = href;
        if (o.linkTarget) { link.target = o.linkTarget; link.rel = "noopener"; }
        foot.appendChild(link);
      }
      if (o.feedback && data.query_id) foot.appendChild(renderFeedback(doc, data.query_id));
      if (foot.firstChild) bubble.appendChild(foot);
      var prompts = promptTexts(data.prompts);
      if (prompts.length) msg.appendChild(chipList(doc, prompts, tr("ask_next", "Ask next"), "prompts", data.context));
      var leadsTo = (Array.isArray(data.prompts) ? data.prompts : []).map(function (p) { return p && p.id; });
      var related = titles((data.related || []).filter(function (r) { return !(r && r.id && leadsTo.indexOf(r.id) >= 0); }));
      if (related.length) msg.appendChild(chipList(doc, related, tr("related", "Related topics"), "related"));
    } else {
      bubble.appendChild(h(doc, "p", "message", data.message || "Sorry, I don't know the answer to that."));
      var guess = data.did_you_mean && typeof data.did_you_mean.title === "string" ? data.did_you_mean.title.trim() : "";
      if (guess) msg.appendChild(renderOffer(doc, guess));
      var candidates = titles(data.related).filter(function (t) { return t !== guess; });
      if (candidates.length) msg.appendChild(chipList(doc, candidates, null, "did-you-mean"));
      var suggestions = titles(data.suggestions).filter(function (s) { return candidates.indexOf(s) < 0; });
      if (suggestions.length) msg.appendChild(chipList(doc, suggestions, null, "suggestions"));
    }
    return msg;
  }

  function renderFeedback(doc, queryId) {
    var box = h(doc, "div", "feedback");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", tr("helpful_q", "Was this answer helpful?"));
    /* icons drawn as SVG: emoji glyphs depend on the visitor's fonts */
    var thumb = "M2 21h4V9H2v12zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3c0-.4-.2-.8-.4-1.1L13.2 1 6.6 7.6" +
                "C6.2 8 6 8.5 6 9v10a2 2 0 0 0 2 2h9c.8 0 1.5-.5 1.8-1.2l3-7.1c.1-.2.2-.5.2-.7v-2z";
    [["up", tr("helpful", "Helpful"), "feedback-icon"], ["down", tr("not_helpful", "Not helpful"), "feedback-icon feedback-icon-down"]].forEach(function (spec) {
      var b = h(doc, "button", "feedback-button");
      b.appendChild(svg(doc, spec[2], [thumb]));
      b.type = "button";
      b.setAttribute("aria-label", spec[1]);
      b.setAttribute("aria-pressed", "false");
      b.setAttribute("data-feedback", spec[0]);
      b.setAttribute("data-query-id", queryId);
      box.appendChild(b);
    });
    return box;
  }

  function renderError(doc, text, canRetry) {
    var msg = h(doc, "div", "msg msg-error");
    var bubble = h(doc, "div", "bubble");
    bubble.appendChild(h(doc, "p", null, text));
    if (canRetry) {
      var b = h(doc, "button", "retry", tr("try_again", "Try again"));
      b.type = "button";
      b.setAttribute("data-retry", "");
      bubble.appendChild(b);
    }
    msg.appendChild(bubble);
    return msg;
  }

  function renderIntro(doc, heading, text, starters, level) {
    var box = h(doc, "div", "intro");
    box.appendChild(h(doc, "h" + (level || 2), "intro-title", heading));
    if (text) box.appendChild(h(doc, "p", "intro-text", text));
    if (starters && starters.length) box.appendChild(chipList(doc, starters, tr("popular", "Popular questions"), "starters"));
    return box;
  }

  function renderTyping(doc) {
    var t = h(doc, "div", "typing");
    t.hidden = true;
    var bubble = h(doc, "div", "bubble");
    bubble.appendChild(h(doc, "span", "dot"));
    bubble.appendChild(h(doc, "span", "dot"));
    bubble.appendChild(h(doc, "span", "dot"));
    bubble.appendChild(h(doc, "span", "sr-only", tr("looking", "Looking for an answer\u2026")));
    t.appendChild(bubble);
    return t;
  }

  /* the composer form: label, textarea, send button */
  /* maxChars: the longest question (the server's MAX_QUESTION_CHARS, from its configuration) */
  function renderComposer(doc, idPrefix, maxChars) {
    var form = h(doc, "form", "composer");
    form.setAttribute("novalidate", "");
    var label = h(doc, "label", "sr-only", tr("your_question", "Your question"));
    label.htmlFor = idPrefix + "-question";
    var row = h(doc, "div", "composer-row");
    var input = h(doc, "textarea", "question");
    input.id = idPrefix + "-question";
    input.name = "q";
    input.rows = 1;
    if (maxChars > 0) input.maxLength = maxChars;
    input.placeholder = tr("placeholder", "Ask a question\u2026");
    input.setAttribute("autocomplete", "off");
    input.setAttribute("enterkeyhint", "send");
    var send = h(doc, "button", "send");
    send.type = "submit";
    send.appendChild(svg(doc, "send-icon", ["M3.4 20.4 21 12 3.4 3.6 3.4 10.1 16 12 3.4 13.9z"]));
    send.appendChild(h(doc, "span", "send-label", "Send"));
    row.appendChild(input);
    row.appendChild(send);
    form.appendChild(label);
    form.appendChild(row);
    return {form: form, input: input, send: send};
  }

  function storage() {
    try { return window.sessionStorage; } catch (e) { return null; }
  }

  /* ------------------------------------------------------------------ */

  function Chat(o) {
    this.o = o;
    this.doc = o.doc || document;
    this.busy = false;
    this.pending = null;   // the question waiting for a retry
    this.pendingContext = undefined;  // and the context it was asked in, when not the last reply's
    this.state = {messages: [], context: null};
  }

  Chat.prototype.init = function () {
    var self = this, o = this.o;
    o.form.addEventListener("submit", function (e) {
      e.preventDefault();
      self.ask(o.input.value);
    });
    o.input.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        self.ask(o.input.value);
      }
    });
    o.input.addEventListener("input", function () { self.autosize(); });
    o.root.addEventListener("click", function (e) {
      var t = e.target && e.target.closest ? e.target : null;
      if (!t) return;
      var ask = t.closest("button[data-ask]");
      if (ask && o.root.contains(ask)) {
        e.preventDefault();
        self.ask(ask.getAttribute("data-ask"), false, contextOf(ask));
        return;
      }
      var retry = t.closest("button[data-retry]");
      if (retry) {
        e.preventDefault();
        var node = retry.closest(".msg");
        if (node && node.parentNode) node.parentNode.removeChild(node);
        if (self.pending) self.ask(self.pending, true);
        return;
      }
      var fb = t.closest("button[data-feedback]");
      if (fb) {
        e.preventDefault();
        self.feedback(fb);
      }
    });
    this.restore();
    return this;
  };

  Chat.prototype.autosize = function () {
    var input = this.o.input;
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight + 2, 200) + "px";
  };

  Chat.prototype.renderOptions = function () {
    var o = this.o;
    return {headingLevel: o.headingLevel, base: o.base, linkTarget: o.linkTarget, feedback: !!o.feedbackUrl};
  };

  Chat.prototype.append = function (node) {
    this.o.log.appendChild(node);
    return node;
  };

  /* scroll so that node's top is in view (inside the scroller only) */
  Chat.prototype.reveal = function (node, atEnd) {
    var sc = this.o.scroller;
    if (!node) return;
    if (!sc || sc === this.doc.scrollingElement || sc === this.doc.documentElement) {
      if (node.scrollIntoView) node.scrollIntoView({block: atEnd ? "end" : "start"});
      return;
    }
    var top = node.getBoundingClientRect().top - sc.getBoundingClientRect().top;
    if (atEnd) sc.scrollTop = sc.scrollHeight;
    else sc.scrollTop += top - 12;
  };

  Chat.prototype.setBusy = function (busy) {
    this.busy = busy;
    this.o.typing.hidden = !busy;
    this.o.form.classList.toggle("is-busy", busy);
    if (this.o.send) this.o.send.setAttribute("aria-disabled", busy ? "true" : "false");
    if (busy) this.reveal(this.o.typing, true);
  };

  Chat.prototype.kb = function () {
    var o = this.o;
    if (o.kbSelect) return o.kbSelect.value || null;
    return o.kb || null;
  };

  /* the context a button asks in: its own (data-context), else undefined (the last reply's) */
  function contextOf(button) {
    var raw = button.getAttribute("data-context");
    if (!raw) return undefined;
    try {
      var c = JSON.parse(raw);
      return c && typeof c === "object" && !Array.isArray(c) ? c : undefined;
    } catch (e) {
      return undefined;
    }
  }

  /* ask ``text``; in ``context`` when given, else in the last reply's */
  Chat.prototype.ask = function (text, isRetry, context) {
    var self = this, o = this.o;
    var q = String(text || "").trim();
    if (this.busy) return;
    if (!q) { o.input.focus(); return; }
    if (o.maxChars > 0 && q.length > o.maxChars) {
      this.showError(tr("too_long", "Questions can be at most {n} characters long. Please shorten yours.", {n: o.maxChars}), false);
      return;
    }
    var asked;
    if (!isRetry) {
      asked = this.append(renderQuestion(this.doc, q));
      this.remember({q: q});
      if (o.input.value.trim() === q) { o.input.value = ""; this.autosize(); }
    }
    if (!isRetry) this.pendingContext = context;
    this.pending = q;
    this.setBusy(true);
    var body = {question: q};
    var kb = this.kb();
    if (kb) body.kb = kb;
    var ctx = this.pendingContext !== undefined ? this.pendingContext : this.state.context;
    if (ctx && typeof ctx === "object") body.context = ctx;
    request(o.fetch || window.fetch.bind(window), o.api, body).then(function (res) {
      self.setBusy(false);
      var data = res.body;
      if (res.ok && data && typeof data.answered === "boolean") {
        self.pending = null;
        self.pendingContext = undefined;
        var node = self.append(renderReply(self.doc, data, self.renderOptions()));
        self.state.context = data.context || null;
        self.remember({r: data});
        self.reveal(asked || node);
      } else if (res.status === 429) {
        var wait = parseInt(res.retryAfter, 10);
        self.showError("You're asking faster than I can answer. Please wait " +
          (wait > 0 ? wait + (wait === 1 ? " second" : " seconds") : "a moment") + " and try again.", true);
      } else if (res.status >= 400 && res.status < 500 && data && data.error && data.error.message) {
        self.pending = null;
        self.pendingContext = undefined;
        self.showError(tr("cannot_ask", "I couldn't ask that: {reason}.", {reason: String(data.error.message).replace(/[.\s]+$/, "")}), false);
      } else {
        self.showError(tr("server_error", "Something went wrong on the FAQ service (error {n}). Please try again in a moment.", {n: res.status}), true);
      }
    }, function () {
      self.setBusy(false);
      self.showError(tr("unreachable", "I can't reach the FAQ service right now. Check your connection and try again."), true);
    });
  };

  Chat.prototype.showError = function (text, canRetry) {
    var node = this.append(renderError(this.doc, text, canRetry));
    this.reveal(node, true);
  };

  /* post a thumbs up/down; a note in the box says whether it was recorded */
  Chat.prototype.feedback = function (button) {
    var o = this.o, doc = this.doc;
    if (!o.feedbackUrl) return;
    var box = button.parentNode;
    Array.prototype.forEach.call(box.querySelectorAll("button[data-feedback]"), function (b) {
      b.setAttribute("aria-pressed", b === button ? "true" : "false");
    });
    function note(text) {
      var n = box.querySelector(".feedback-note");
      if (!n) {
        n = h(doc, "span", "feedback-note");
        n.setAttribute("role", "status");
        box.appendChild(n);
      }
      n.textContent = text;
    }
    request(o.fetch || window.fetch.bind(window), o.feedbackUrl, {
      query_id: button.getAttribute("data-query-id"),
      helpful: button.getAttribute("data-feedback") === "up"
    }).then(function (res) {
      note(res.ok ? "Thanks, your feedback was recorded." : "Sorry, your feedback could not be recorded.");
    }, function () {
      note("Sorry, your feedback could not be sent.");
    });
  };

  /* ------------------------------------------------------- persistence */

  Chat.prototype.remember = function (item) {
    this.state.messages.push(item);
    if (this.state.messages.length > MAX_STORED) this.state.messages.splice(0, this.state.messages.length - MAX_STORED);
    this.save();
  };

  Chat.prototype.save = function () {
    var s = storage();
    if (!s || !this.o.storageKey) return;
    try { s.setItem(this.o.storageKey, JSON.stringify({v: 1, messages: this.state.messages, context: this.state.context})); } catch (e) { /* full or blocked */ }
  };

  Chat.prototype.restore = function () {
    var s = storage();
    if (!s || !this.o.storageKey) return;
    var saved = null;
    try { saved = JSON.parse(s.getItem(this.o.storageKey) || "null"); } catch (e) { saved = null; }
    if (!saved || saved.v !== 1 || !Array.isArray(saved.messages)) return;
    if (this.o.log.children.length) return;  // the server rendered a conversation: it wins
    var self = this, frag = this.doc.createDocumentFragment();
    saved.messages.forEach(function (m) {
      if (m && typeof m.q === "string") frag.appendChild(renderQuestion(self.doc, m.q));
      else if (m && m.r && typeof m.r === "object") frag.appendChild(renderReply(self.doc, m.r, self.renderOptions()));
    });
    this.state = {messages: saved.messages, context: saved.context || null};
    this.o.log.appendChild(frag);
  };

  Chat.prototype.clear = function () {
    this.state = {messages: [], context: null};
    this.pending = null;
    this.pendingContext = undefined;
    while (this.o.log.firstChild) this.o.log.removeChild(this.o.log.firstChild);
    var s = storage();
    if (s && this.o.storageKey) { try { s.removeItem(this.o.storageKey); } catch (e) { /* blocked */ } }
  };

  /* POST JSON; resolves {ok, status, body, retryAfter}, rejects on network failure or timeout */
  function request(fetchFn, url, body) {
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, TIMEOUT_MS) : null;
    return fetchFn(url, {
      method: "POST",
      headers: {"Content-Type": "application/json", "Accept": "application/json"},
      body: JSON.stringify(body),
      credentials: "omit",
      mode: "cors",
      signal: controller ? controller.signal : undefined
    }).then(function (resp) {
      return resp.json().then(function (b) { return b; }, function () { return null; }).then(function (b) {
        if (timer) clearTimeout(timer);
        return {ok: resp.ok, status: resp.status, body: b, retryAfter: resp.headers.get("Retry-After") ||
          (b && b.error && b.error.retry_after)};
      });
    }, function (err) {
      if (timer) clearTimeout(timer);
      throw err;
    });
  }

  /* o: {doc, root, log, typing, form, input, send, scroller, api, base, kb, kbSelect,
   *     headingLevel, linkTarget, feedbackUrl, storageKey, fetch} */
  function create(o) {
    return new Chat(o).init();
  }

  return {
    create: create,
    setStrings: setStrings,
    tr: tr,
    renderText: renderText,
    renderQuestion: renderQuestion,
    renderReply: renderReply,
    renderOffer: renderOffer,
    renderIntro: renderIntro,
    renderTyping: renderTyping,
    renderComposer: renderComposer,
    chipList: chipList,
    svg: svg,
    el: h
  };
})();
