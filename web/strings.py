"""The chat page's and the widget's interface strings, in the knowledge base's language.

A small table: English is complete and the default; German, French and
Spanish translate every string; another language (or a missing string)
falls back to English. ``{title}`` and ``{n}`` are filled in where they occur
(by Jinja on the page, by ``static/chat.js`` in the browser).
"""
from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "subtitle": "Questions and answers",
        "skip": "Skip to the question box",
        "read_guide": "Read the guide",
        "new_conversation": "New conversation",
        "intro_title": "Ask about the {title}",
        "intro_text": "Type a question in your own words. I answer from the guide, and I'll tell you honestly "
                      "when it doesn't cover something.",
        "popular": "Popular questions",
        "conversation": "Conversation",
        "looking": "Looking for an answer…",
        "answer_from": "Answer from",
        "every_kb": "every knowledge base",
        "your_question": "Your question",
        "placeholder": "Ask a question…",
        "send": "Send",
        "hint": "Press Enter to send, Shift+Enter for a new line.",
        "please_type": "Please type a question ({error}).",
        "you_asked": "You asked: ",
        "showing_results": "Showing results for “{to}” instead of “{from}”.",
        "read_section": "Read this section in the guide",
        "related": "Related topics",
        "ask_next": "Ask next",
        "did_you_mean": "Did you mean",
        "helpful_q": "Was this answer helpful?",
        "helpful": "Helpful",
        "not_helpful": "Not helpful",
        "try_again": "Try again",
        "too_long": "Questions can be at most {n} characters long. Please shorten yours.",
        "server_error": "Something went wrong on the FAQ service (error {n}). Please try again in a moment.",
        "close": "Close chat",
        "ask_me": "Ask me a question",
        "widget_intro": "Type a question in your own words, or pick one of these.",
        "cannot_ask": "I couldn't ask that: {reason}.",
        "unreachable": "I can't reach the FAQ service right now. Check your connection and try again.",
    },
    "de": {
        "subtitle": "Fragen und Antworten",
        "skip": "Zum Fragefeld springen",
        "read_guide": "Zum Dokument",
        "new_conversation": "Neues Gespräch",
        "intro_title": "Fragen zu {title}",
        "intro_text": "Stellen Sie Ihre Frage in eigenen Worten. Ich antworte aus dem Dokument und sage ehrlich, "
                      "wenn es etwas nicht abdeckt.",
        "popular": "Häufige Fragen",
        "conversation": "Gespräch",
        "looking": "Suche eine Antwort…",
        "answer_from": "Antworten aus",
        "every_kb": "allen Wissensquellen",
        "your_question": "Ihre Frage",
        "placeholder": "Stellen Sie eine Frage…",
        "send": "Senden",
        "hint": "Eingabetaste zum Senden, Umschalt+Eingabe für eine neue Zeile.",
        "please_type": "Bitte geben Sie eine Frage ein ({error}).",
        "you_asked": "Ihre Frage: ",
        "showing_results": "Ergebnisse für „{to}“ statt „{from}“.",
        "read_section": "Diesen Abschnitt im Dokument lesen",
        "related": "Verwandte Themen",
        "ask_next": "Als Nächstes fragen",
        "did_you_mean": "Meinten Sie",
        "helpful_q": "War diese Antwort hilfreich?",
        "helpful": "Hilfreich",
        "not_helpful": "Nicht hilfreich",
        "try_again": "Erneut versuchen",
        "too_long": "Fragen dürfen höchstens {n} Zeichen lang sein. Bitte kürzen Sie Ihre Frage.",
        "server_error": "Beim FAQ-Dienst ist ein Fehler aufgetreten (Fehler {n}). Bitte versuchen Sie es gleich noch einmal.",
        "close": "Chat schließen",
        "ask_me": "Stellen Sie mir eine Frage",
        "widget_intro": "Stellen Sie Ihre Frage in eigenen Worten oder wählen Sie eine dieser Fragen.",
        "cannot_ask": "Das konnte ich nicht fragen: {reason}.",
        "unreachable": "Der FAQ-Dienst ist gerade nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.",
    },
    "fr": {
        "subtitle": "Questions et réponses",
        "skip": "Aller à la zone de question",
        "read_guide": "Lire le document",
        "new_conversation": "Nouvelle conversation",
        "intro_title": "Questions sur {title}",
        "intro_text": "Posez votre question avec vos propres mots. Je réponds à partir du document et je vous dis "
                      "franchement quand il ne traite pas un sujet.",
        "popular": "Questions fréquentes",
        "conversation": "Conversation",
        "looking": "Recherche d'une réponse…",
        "answer_from": "Répondre à partir de",
        "every_kb": "toutes les bases de connaissances",
        "your_question": "Votre question",
        "placeholder": "Posez une question…",
        "send": "Envoyer",
        "hint": "Entrée pour envoyer, Maj+Entrée pour une nouvelle ligne.",
        "please_type": "Veuillez saisir une question ({error}).",
        "you_asked": "Vous avez demandé : ",
        "showing_results": "Résultats pour « {to} » au lieu de « {from} ».",
        "read_section": "Lire cette section du document",
        "related": "Sujets liés",
        "ask_next": "Question suivante",
        "did_you_mean": "Vouliez-vous dire",
        "helpful_q": "Cette réponse vous a-t-elle aidé ?",
        "helpful": "Utile",
        "not_helpful": "Pas utile",
        "try_again": "Réessayer",
        "too_long": "Une question fait au plus {n} caractères. Veuillez raccourcir la vôtre.",
        "server_error": "Le service FAQ a rencontré un problème (erreur {n}). Veuillez réessayer dans un instant.",
        "close": "Fermer la discussion",
        "ask_me": "Posez-moi une question",
        "widget_intro": "Posez votre question avec vos propres mots, ou choisissez l'une de celles-ci.",
        "cannot_ask": "Je n'ai pas pu poser cette question : {reason}.",
        "unreachable": "Le service FAQ est injoignable pour le moment. Vérifiez votre connexion et réessayez.",
    },
    "es": {
        "subtitle": "Preguntas y respuestas",
        "skip": "Ir al cuadro de pregunta",
        "read_guide": "Leer el documento",
        "new_conversation": "Nueva conversación",
        "intro_title": "Pregunte sobre {title}",
        "intro_text": "Escriba su pregunta con sus propias palabras. Respondo a partir del documento y le digo "
                      "con franqueza cuando no trata un tema.",
        "popular": "Preguntas frecuentes",
        "conversation": "Conversación",
        "looking": "Buscando una respuesta…",
        "answer_from": "Responder desde",
        "every_kb": "todas las bases de conocimiento",
        "your_question": "Su pregunta",
        "placeholder": "Haga una pregunta…",
        "send": "Enviar",
        "hint": "Intro para enviar, Mayús+Intro para una nueva línea.",
        "please_type": "Escriba una pregunta ({error}).",
        "you_asked": "Usted preguntó: ",
        "showing_results": "Resultados para «{to}» en lugar de «{from}».",
        "read_section": "Leer esta sección del documento",
        "related": "Temas relacionados",
        "ask_next": "Siguiente pregunta",
        "did_you_mean": "Quiso decir",
        "helpful_q": "¿Le ha sido útil esta respuesta?",
        "helpful": "Útil",
        "not_helpful": "No es útil",
        "try_again": "Reintentar",
        "too_long": "Las preguntas pueden tener como máximo {n} caracteres. Acorte la suya.",
        "server_error": "Algo falló en el servicio de preguntas frecuentes (error {n}). Inténtelo de nuevo en un momento.",
        "close": "Cerrar el chat",
        "ask_me": "Hágame una pregunta",
        "widget_intro": "Escriba su pregunta con sus propias palabras, o elija una de estas.",
        "cannot_ask": "No pude hacer esa pregunta: {reason}.",
        "unreachable": "No puedo conectar con el servicio de preguntas frecuentes. Compruebe su conexión e inténtelo de nuevo.",
    },
}


def strings_for(language: str | None) -> dict[str, str]:
    """Every interface string in ``language`` (ISO 639-1), English where it has none."""
    code = (language or "en").split("-")[0].lower()
    return {**STRINGS["en"], **STRINGS.get(code, {})}


def language_of(knowledge_bases: dict, kb: str | None) -> str:
    """The interface language: the chosen knowledge base's, else the one all loaded bases share, else English."""
    if kb and kb in knowledge_bases:
        return getattr(knowledge_bases[kb], "language", "en") or "en"
    langs = {getattr(base, "language", "en") or "en" for base in knowledge_bases.values()}
    return langs.pop() if len(langs) == 1 else "en"
