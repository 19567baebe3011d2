/* The chat page (/ and /embed): enhances the server-rendered form with
 * FaqbotChat (static/chat.js). Without JavaScript the form posts to the server. */
(function () {
  "use strict";
  var main = document.getElementById("chat");
  if (!main || typeof FaqbotChat === "undefined") return;
  var form = main.querySelector("form.composer");
  var input = form && form.querySelector("textarea");
  if (!input) return;
  document.documentElement.classList.add("js");

  var kb = main.getAttribute("data-kb") || "";
  try {
    FaqbotChat.setStrings(JSON.parse(main.getAttribute("data-strings") || "{}"));
  } catch (e) { /* English */ }
  var chat = FaqbotChat.create({
    doc: document,
    root: main,
    log: main.querySelector("[role=log]"),
    typing: main.querySelector(".typing"),
    form: form,
    input: input,
    send: form.querySelector("button.send"),
    kbSelect: form.querySelector("select[name=kb]"),
    scroller: document.scrollingElement,
    api: main.getAttribute("data-api") || "/ask",
    base: document.baseURI,
    kb: kb,
    maxChars: Number(main.getAttribute("data-max-chars")) || 0,
    headingLevel: 2,
    linkTarget: main.getAttribute("data-link-target") || null,
    feedbackUrl: main.getAttribute("data-feedback") === "on" ? main.getAttribute("data-feedback-url") : null,
    storageKey: "faqbot:" + (main.getAttribute("data-mode") || "page") + ":" + kb
  });

  Array.prototype.forEach.call(document.querySelectorAll("[data-js-only]"), function (node) {
    node.hidden = false;
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-clear]"), function (button) {
    button.addEventListener("click", function () {
      chat.clear();
      input.focus();
    });
  });
})();
