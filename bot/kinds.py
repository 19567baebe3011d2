"""Kinds of question that only some entries can answer, per language.

Four kinds (see :mod:`bot.answering` for what each does to confidence):

* a **how-to** question ("how do I ...", "wie kann ich ...", "comment
  acheter ...", "¿cómo puedo ...?") asks for instructions;
* a question about **money** (a salary, what something costs) asks for an
  amount, which an entry states (:func:`states_amount`); outside English only
  wordings that ask for an amount count ("wie viel kostet", "combien coûte",
  "¿cuánto cuesta?"), not nouns such as "Gebühren" or "precio", which FAQs
  discuss without stating one;
* a question about **duration** ("how long ...", "wie lange ...", "combien de
  temps ...", "¿cuánto tiempo ...?") asks for one, which an entry states
  (:func:`states_duration`);
* a **definition** or comparison ("what is X?", "was ist X?", "qu'est-ce que
  X ?", "¿qué es X?", "X vs Y").

Frames (:func:`duration_frame`, :func:`origin_frame`) are the words that say how a
question asks ("wie lange", "d'où viennent"), not what it asks about.

Patterns exist for English (``en``, the rules faqbot has always used, unchanged),
German (``de``), French (``fr``), Spanish (``es``), Italian (``it``) and Portuguese (``pt``). Any other
language has no kind rules: every function answers False, never raises.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .languages import language_code
from .text import words

_I = re.I

# --------------------------------------------------------------------------
# English: exactly the expressions bot/answering.py has used

_EN_PROCEDURAL = re.compile(
    r"^\W*(?:(?:so|and|but|ok|okay|hi|hey|please|(?:can\s+you\s+|could\s+you\s+)?(?:show|tell|teach)\s+me|explain)\W+)*"
    r"(?:how\s+(?:do|can|could|should|would|might|must|shall)\s+(?:i|we|you|one|someone)\b"
    r"(?!\s+(?:\w+\s+)?(?:describe|explain|define|summari[sz]e|sum\s+up|put\s+it|say|characteri[sz]e)\b)"
    r"|how\s+to\b|how\s+(?:2\s+)?(?:build|make|create|set\s+up|setup|install|deploy|configure|write|code|implement"
    r"|fix|debug|connect)\b"  # terse: "how build rest api flask"
    r"|what(?:\s+is|'s)\s+the\s+(?:best\s+|easiest\s+|right\s+)?way\s+to\b"
    r"|(?:what\s+are\s+the\s+)?steps\s+to\b)", re.I)
_EN_MONEY = re.compile(
    r"\b(?:salar(?:y|ies)|wages?|income|compensation|earn(?:s|ed|ing|ings)?|paid|pay(?:check|s)?|"
    r"pric(?:e|es|ed|ing)|fees?|cheap(?:er|est)?|expensive|afford(?:able)?)\b|\bcost\s+(?:of|for)\b|\bcosts?\W*$"
    r"|\bhow\s+much\b(?:\s+\S+){0,6}?\s+(?:cost|costs|make|makes|charge|charges)\b"
    r"|\bhow\s+much\s+(?:is|are|does|do)\b(?:\s+\S+){0,4}?\s*(?:per|a|an|each|/)\s*(?:month|mo|year|yr|week|wk)\b"
    r"|\bhow\s+much\s+(?:is|are)\s+(?:the\s+)?[\w+]+(?:\s+[\w+]+){0,2}\s*\??\s*$", re.I)
_EN_AMOUNT = re.compile(r"[$€£¥]\s?\d|\d\s?(?:usd|eur|gbp|dollars?|euros?|pounds?)\b|\b(?:usd|eur|gbp)\s?\d", re.I)
_EN_DURATION_Q = re.compile(
    r"\bhow\s+(?:long|soon|many\s+(?:years?|yrs?|months?|weeks?|days?|hours?|hrs?|minutes?|mins?))\b|\bhow\s+much\s+(?:experience|exp|time)\b"
    r"|\b(?:years?|yrs?)\s+(?:of\s+)?(?:experience|exp)\b|\bwhen\s+(?:do|does|can|will|would)\b"
    r"|\b(?:experience|exp)\s+(?:range|level)\b|\brange\s+of\s+(?:experience|exp|years)\b", re.I)
_EN_DURATION = re.compile(r"\d\s*\+?\s*(?:[a-z]+\s+)?(?:years?|yrs?|months?|weeks?|days?|hours?|hrs?|minutes?|mins?)\b",
                          re.I)
#: a number asked ("how many job alerts?"; not "how many years", a duration) and stated outside durations ("up to 10
#: active job alerts", "557 subscribers", "one active job alert", "unlimited applies")
_EN_COUNT_Q = re.compile(r"\bhow\s+many\s+(?!(?:for|of|do|does|did|are|is|was|were|can|could|would|will|should|in|at|on"
                         r"|to|per|then|now)\b)(?!(?:\w+\s+)?(?:years?|yrs?|months?|weeks?|days?|hours?|hrs?|minutes?"
                         r"|mins?|decades?)\b)[a-z]", re.I)  # a thing named after it ("how many for principal?" leans on
                                                             # the years asked before)
_EN_COUNT = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds?"
                       r"|thousands?|millions?|unlimited|single)\b", re.I)
#: a share asked ("what percentage of jobs are remote?", "remote % of jobs") and stated ("20%", "ten percent")
_EN_PERCENT_Q = re.compile(r"\b(?:percentage|percent|proportion|fraction)\b|%|\bwhat\s+share\b", re.I)
_EN_PERCENT = re.compile(r"\d\s?%|\bper\s?cent\b", re.I)
_EN_DEFINITION = re.compile(r"^\W*(?:what\s+(?:is|are)\b|what'?s\b|define\b|definition\s+of\b|meaning\s+of\b"
                            r"|explain\s+what\b|what\s+does\s+\S+(?:\s+\S+)?\s+mean\b)"
                            r"|\b(?:better|best|worse|worst|easier|easiest|harder|hardest|vs|versus|compared?|comparison"
                            r"|faster|fastest|slower|slowest|quicker|more\s+(?:popular|secure|scalable|reliable|performant)"
                            r"|difference\s+between"
                            r"|pros\s+and\s+cons)\b", re.I)

# --------------------------------------------------------------------------
# German, French, Spanish

_AMOUNT_EU = (r"[$€£¥]\s?\d|\d(?:[\d.,]*\d)?\s?(?:[$€£¥]|usd|eur|gbp|chf|euros?|dollars?|dólares|franken|francs?"
              r"|livres?|pesos?)(?![^\W\d_])|\b(?:usd|eur|gbp|chf)\s?\d")

_PATTERNS: dict[str, dict[str, re.Pattern]] = {
    "en": {"procedural": _EN_PROCEDURAL, "money": _EN_MONEY, "amount": _EN_AMOUNT,
           "duration_q": _EN_DURATION_Q, "duration": _EN_DURATION, "definition": _EN_DEFINITION,
           "percent_q": _EN_PERCENT_Q, "percent": _EN_PERCENT, "count_q": _EN_COUNT_Q, "count": _EN_COUNT},
    "de": {
        "procedural": re.compile(
            r"^\W*(?:(?:und|aber|also|ok|okay|hallo|hi|bitte|sag\s+mir|erklär(?:e|en\s+sie)?\s+mir)\W+)*"
            r"(?:wie\s+(?:kann|könnte|kannst|können|muss|müssen|soll|sollte|darf)\s+(?:ich|man|wir|du|sie)\b"
            r"|wie\s+(?:mache|kaufe|bekomme|komme|gelange|erhalte|kriege|erstelle|ändere|kündige|bestelle|bezahle|zahle|sende|schicke|richte"
            r"|finde|lösche|melde)\s+ich\b|wie\s+geht\s+(?:man|das)\s+vor\b|wie\s+[^\W\d_]+\s+man\b"
            r"|was\s+ist\s+der\s+(?:beste|einfachste|richtige)\s+weg\b|schritte?\s+(?:zu|zum|zur|um)\b|anleitung\b)", _I),
        "money": re.compile(
            r"\b(?:gehalt|gehälter|gehaelter|lohn|löhne|einkommen|verdien(?:e|t|en|st)|verdienst|kostet"
            r"|teuer|teurer|billig(?:er)?|günstig(?:er)?)\b"
            r"|\bwie\s+viel\b(?:\s+\S+){0,6}?\s+(?:kostet|kosten|verdient|verlangt|wert)\b"
            r"|\bwie\s+hoch\s+(?:ist|war|sind|waren)\s+(?:der|die|das)\s+(?:\S+-)?(?:preis|kurs)\b", _I),
        "amount": re.compile(_AMOUNT_EU, _I),
        "duration_q": re.compile(
            r"\bwie\s+(?:lange?|schnell|bald|viele\s+(?:jahre|monate|wochen|tage|stunden|minuten))\b"
            r"|\bwie\s+viel\s+(?:zeit|erfahrung)\b|\bwann\s+(?:kann|werde|wird|darf|bekomme|ist)\b"
            r"|\b(?:dauert|dauern|braucht|brauchen)\s+(?:es\s+|das\s+|sie\s+|er\s+)?(?:so\s+|zu\s+)?(?:lange?|ewig)\b", _I),
        "duration": re.compile(r"\d\s*\+?\s*(?:[^\W\d_]+\s+)?(?:jahren?|jahre|monaten?|monate|wochen?|tagen?|tage"
                               r"|stunden?|std|minuten?|min|sekunden?)\b", _I),
        "definition": re.compile(
            r"^\W*(?:was\s+(?:ist|sind|bedeutet|bedeuten|heißt|heisst)\b|was\s+versteht\s+man\s+unter\b"
            r"|definition\s+von\b|bedeutung\s+von\b|erklär(?:e|en\s+sie)?\s+(?:mir\s+)?was\b)"
            r"|\b(?:besser|beste[nrs]?|schlechter|vs|versus|vergleich(?:en|bar)?|unterschied(?:e)?\s+zwischen"
            r"|vor-\s+und\s+nachteile)\b", _I),
    },
    "fr": {
        "procedural": re.compile(
            r"^\W*(?:(?:et|mais|alors|ok|bonjour|salut|svp|dis-moi|dites-moi|expliquez-moi)\W+)*"
            r"(?:comment\s+(?:puis-je|peut-on|dois-je|doit-on|faire|fait-on|on\s+fait|je\s+(?:peux|dois|fais)"
            r"|pourrais-je|faut-il)\b|comment\s+[^\W\d_]+(?:er|ir|re)\b"
            r"|quelle\s+est\s+la\s+(?:meilleure\s+|bonne\s+)?(?:façon|facon|manière|maniere|méthode|methode)\s+de\b"
            r"|(?:les\s+)?étapes\s+pour\b|etapes\s+pour\b)", _I),
        "money": re.compile(
            r"\b(?:salaires?|rémunérations?|remunerations?|revenus?|gagner|gagne|gagnent|co[uû]tent|co[uû]te"
            r"|cher|chère|chers|abordables?|bon\s+marché)\b"
            r"|\bcombien\b(?:\s+\S+){0,6}?\s+(?:co[uû]te|co[uû]tent|co[uû]tera|co[uû]teront|gagne|gagnent|facture)\b"
            r"|\bcombien\s+(?:vaut|valent)\b"
            r"|\bquel\s+(?:est|était|etait|sera)\s+le\s+(?:prix|cours|tarif|montant)\b", _I),
        "amount": re.compile(_AMOUNT_EU, _I),
        "duration_q": re.compile(
            r"\bcombien\s+de\s+(?:temps|jours|mois|ans|années|annees|semaines|heures|minutes)\b"
            r"|\bdans\s+combien\b|\bquand\s+(?:puis-je|peut-on|est-ce|vais-je|va|sera)\b"
            r"|\b(?:met|mettent|prend|prennent)\s+(?:du|tant\s+de|autant\s+de|trop\s+de|si\s+longtemps)\s*(?:temps)?\b"
            r"|\b(?:est|sont)(?:-ce|-il|-elle|-ils|-elles)?\s+(?:si|trop)\s+(?:longs?|longues?|lents?|lentes?)\b", _I),
        "duration": re.compile(r"\d\s*\+?\s*(?:[^\W\d_]+\s+)?(?:ans|an|années?|annees?|mois|semaines?|jours?"
                               r"|heures?|minutes?|min|secondes?)\b", _I),
        "definition": re.compile(
            r"^\W*(?:qu['’]est[- ]ce\s+qu(?:e\b|['’])|c['’]est\s+quoi\b|que\s+(?:signifie|veut\s+dire)\b"
            r"|(?:quelle\s+est\s+la\s+)?définition\s+de\b|definition\s+de\b)"
            r"|\b(?:meilleure?s?|pire|vs|versus|compar(?:er|é|e|aison)|différences?\s+entre|differences?\s+entre"
            r"|avantages\s+et\s+(?:les\s+)?inconvénients)\b", _I),
    },
    "es": {
        "procedural": re.compile(
            r"^\W*[¿¡]?\s*(?:(?:y|pero|ok|vale|hola|por\s+favor|dime|explícame|explicame)\W+)*"
            r"(?:c[oó]mo\s+(?:puedo|podemos|puede\s+uno|debo|se\s+puede|hago|hacer|se\s+hace)\b"
            r"|c[oó]mo\s+[^\W\d_]+(?:ar|er|ir)\b"
            r"|cu[aá]l\s+es\s+la\s+(?:mejor\s+)?(?:forma|manera)\s+de\b|(?:los\s+)?pasos\s+para\b)", _I),
        "money": re.compile(
            r"\b(?:salarios?|sueldos?|ingresos|ganar|gana|ganan|cuesta|cuestan"
            r"|caro|cara|caros|barato|barata|baratos|asequibles?)\b"
            r"|\bcu[aá]nto\b(?:\s+\S+){0,6}?\s+(?:cuesta|cuestan|costar[aá]n?|cobra|cobran|cobrar[aá]n?|gana|ganan)\b"
            r"|\bcu[aá]nto\s+(?:vale|valen)\b|\ba\s+cu[aá]nto\s+(?:est[aá]|est[aá]n|sale|salen)\b"
            r"|\bcu[aá]l\s+(?:es|era|fue|ser[aá])\s+(?:el|la)\s+(?:precio|cotizaci[oó]n|tarifa|importe)\b", _I),
        "amount": re.compile(_AMOUNT_EU, _I),
        "duration_q": re.compile(
            r"\bcu[aá]nto\s+(?:tiempo|tarda|tardan|dura|duran)\b"
            r"|\bcu[aá]ntos\s+(?:a[nñ]os|meses|d[ií]as|horas|minutos|semanas)\b"
            r"|\bcu[aá]ndo\s+(?:puedo|podr[eé]|ser[aá]|llega|llegan)\b"
            r"|\b(?:tarda|tardan|demora|demoran)\s+(?:tanto|mucho|demasiado)\b", _I),
        "duration": re.compile(r"\d\s*\+?\s*(?:[^\W\d_]+\s+)?(?:a[nñ]os?|meses|mes|semanas?|d[ií]as?|horas?"
                               r"|minutos?|min|segundos?)\b", _I),
        "definition": re.compile(
            r"^\W*[¿¡]?\s*(?:qu[eé]\s+(?:es|son|significa|significan)\b|definici[oó]n\s+de\b|significado\s+de\b)"
            r"|\b(?:mejor(?:es)?|peor(?:es)?|vs|versus|compar(?:ar|ado|ada|aci[oó]n)|diferencias?\s+entre"
            r"|ventajas\s+y\s+desventajas)\b", _I),
    },
    "it": {
        "procedural": re.compile(
            r"^\W*(?:(?:e|ma|ok|ciao|per\s+favore|dimmi|spiegami)\W+)*"
            r"(?:come\s+(?:posso|possiamo|si\s+pu[oò]|devo|faccio|fare|si\s+fa)\b|come\s+[^\W\d_]+(?:are|ere|ire)\b"
            r"|qual\s*(?:è|e'|e)\s+il\s+(?:modo|metodo)\s+(?:migliore\s+)?(?:per|di)\b|(?:i\s+)?passi\s+per\b)", _I),
        "money": re.compile(
            r"\b(?:stipendi[oi]|salari[oi]|guadagnare|guadagna|guadagnano|costa|costano|coster[aà]|costeranno"
            r"|caro|cari|costos[oaie]|economic[oaie])\b"
            r"|\bquanto\b(?:\s+\S+){0,6}?\s+(?:costa|costano|coster[aà]|guadagna|guadagnano|fa\s+pagare)\b"
            r"|\bquanto\s+(?:vale|valgono)\b"
            r"|\bqual\s+(?:è|e|era|sarà|sara)\s+il\s+(?:prezzo|costo|valore|cambio)\b", _I),
        "amount": re.compile(_AMOUNT_EU, _I),
        "duration_q": re.compile(
            r"\bquanto\s+(?:tempo|dura|durano|ci\s+vuole|ci\s+mette|impiega)\b"
            r"|\bquant[ie]\s+(?:anni|mesi|giorni|ore|minuti|settimane)\b|\bquando\s+(?:posso|potr[oò]|sar[aà]|arriva|arrivano)\b"
            r"|\b(?:ci\s+mette|impiega)\s+(?:cos[iì]\s+)?tanto\b", _I),
        "duration": re.compile(r"\d\s*\+?\s*(?:[^\W\d_]+\s+)?(?:anni|anno|mesi|mese|settimane?|giorni|giorno|ore|ora"
                               r"|minuti|minuto|min|secondi|secondo)\b", _I),
        "definition": re.compile(
            r"^\W*(?:(?:che\s+)?cos['’]?\s*(?:è|e'|e)\b|che\s+cosa\s+(?:è|e'|e|sono)\b|cosa\s+(?:sono|significa)\b"
            r"|cosa\s+vuol\s+dire\b|definizione\s+di\b|significato\s+di\b)"
            r"|\b(?:migliore|migliori|peggiore|peggiori|vs|versus|confronto|confrontare|differenz[ae]\s+tra"
            r"|vantaggi\s+e\s+svantaggi)\b", _I),
    },
    "pt": {
        "procedural": re.compile(
            r"^\W*(?:(?:e|mas|então|entao|ok|oi|olá|ola|por\s+favor|me\s+(?:diga|diz|explica|explique|ensina)"
            r"|explica|explique)\W+)*"
            r"(?:como\s+(?:(?:é\s+que\s+|e\s+que\s+)?(?:eu\s+|a\s+gente\s+)?(?:posso|podemos|devo|faço|faco|fazemos"
            r"|consigo|conseguimos)|(?:uma\s+pessoa\s+|alguém\s+|alguem\s+)?pode|se\s+faz|fazer|faz\s+(?:pra|para))\b"
            r"|como\s+[^\W\d_]+(?:ar|er|ir)\b"
            r"|qual\s+(?:é\s+|e\s+)?(?:a\s+)?(?:melhor\s+)?(?:forma|maneira|jeito)\s+de\b|(?:os\s+)?passos\s+para\b"
            r"|passo\s+a\s+passo\b)", _I),
        "money": re.compile(
            r"\b(?:salários?|salarios?|ganhar|ganha|ganham|custa|custam|custar[aá]|custaria"
            r"|caro|caros|barato|barata|baratos|baratas)\b"
            r"|\b(?:quanto|qnto|qto)\b(?:\s+\S+){0,6}?\s+(?:custa|custam|custar[aá]|custaria|cobra|cobram|cobrar[aá]|ganha|ganham)\b"
            r"|\b(?:quanto|qnto|qto)\s+(?:vale|valem|valer[aá]|est[aá]\s+valendo|t[aá]\s+valendo|sai|saem)\b"
            r"|\b(?:quanto|qnto|qto)\s+(?:é|e|ser[aá]|fica|ficar[aá]|vai\s+ser)\s+(?:a\s+|o\s+|as\s+|os\s+)?"
            r"(?:taxas?|tarifas?|preços?|precos?|custos?|mensalidades?)\b"
            r"|\bqual\s+(?:é|e|foi|era|ser[aá])\s+(?:o|a)\s+(?:preço|preco|cotação|cotacao|valor|tarifa)\b", _I),
        "amount": re.compile(_AMOUNT_EU + r"|\d(?:[\d.,]*\d)?\s?(?:reais|real)\b|\br\$\s?\d", _I),
        "duration_q": re.compile(
            r"\b(?:quanto|qnto|qto)\s+(?:tempo|demora|demoram|leva|levam|dura|duram)\b"
            r"|\bquant[oa]s\s+(?:anos|meses|dias|horas|minutos|semanas|segundos)\b"
            r"|\b(?:quando|qnd|qdo)\s+(?:posso|poderei|vou|vai|ser[aá]|chega|chegam|cai|caem)\b"
            r"|\b(?:demora|demoram|demorando|demorou|leva|levam|levando)\s+(?:tanto|muito|demais)\b"
            r"|\b(?:é|e|está|esta|tá|ta)\s+(?:tão|tao|muito)\s+(?:lent[oa]s?|demorad[oa]s?)\b", _I),
        "duration": re.compile(r"\d\s*\+?\s*(?:[^\W\d_]+\s+)?(?:anos?|meses|mês|mes|semanas?|dias?|horas?"
                               r"|minutos?|min|segundos?)\b", _I),
        "definition": re.compile(
            r"^\W*(?:(?:o\s+)?(?:que|q|oq)\s+(?:é|e|eh|são|sao|significa|significam|quer\s+dizer|vem\s+a\s+ser)\b"
            r"|o\s+que\s+(?:é|e)\s+que\b|definição\s+de\b|definicao\s+de\b|significado\s+de\b"
            r"|qual\s+(?:é\s+|e\s+)?o\s+significado\s+de\b)"
            r"|\b(?:melhor(?:es)?|pior(?:es)?|vs|versus|compar(?:ar|ado|ada|ação|acao)|diferenças?\s+entre"
            r"|diferencas?\s+entre|vantagens\s+e\s+desvantagens|prós\s+e\s+contras|pros\s+e\s+contras)\b", _I),
    },
}

#: languages with kind rules
LANGUAGES = frozenset(_PATTERNS)


@lru_cache(maxsize=16)
def _lowered(lang: str) -> dict[str, re.Pattern]:
    """``lang``'s patterns for lower-cased text (case-insensitive matching costs more: an entry's kinds are
    read for every entry of a large knowledge base, a question's for every question)."""
    return {name: re.compile(p.pattern, p.flags & ~re.I) for name, p in (_PATTERNS.get(lang) or {}).items()}


def _search(kind: str, text: str, lang: str) -> bool:
    patterns = _lowered(language_code(lang))  # (a kind a language has no pattern for is never found)
    return bool(patterns and text and kind in patterns and patterns[kind].search(text.lower()))


def is_procedural(text: str, lang: str = "en") -> bool:
    """Whether ``text`` asks how to do something (not "how long", "how many", "how much")."""
    return _search("procedural", text, lang)


def is_about_money(text: str, lang: str = "en") -> bool:
    """Whether ``text`` asks about money: a salary, a price, what something costs or pays."""
    return _search("money", text, lang)


def states_amount(text: str, lang: str = "en") -> bool:
    """Whether ``text`` states an amount of money ("USD $8/month", "20 €", "100 dollars")."""
    return _search("amount", text, lang)


def is_about_duration(text: str, lang: str = "en") -> bool:
    """Whether ``text`` asks how long something takes or lasts."""
    return _search("duration_q", text, lang)


def states_duration(text: str, lang: str = "en") -> bool:
    """Whether ``text`` states a duration ("4-6 years", "10 Minuten", "2 à 3 jours")."""
    return _search("duration", text, lang)


def states_percent(text: str, lang: str = "en") -> bool:
    """Whether ``text`` states a percentage ("20% growth")."""
    return _search("percent", text, lang)


#: the period a price is asked for ("yearly price", "per month") or stated in ("USD $8/month"), by language
_PERIODS = {"en": (re.compile(r"\b(?:(?P<year>yearly|annual(?:ly)?|per\s+(?:year|annum)|a\s+year|each\s+year)"
                              r"|(?P<month>monthly|per\s+month|a\s+month|each\s+month)"
                              r"|(?P<week>weekly|per\s+week|a\s+week))\b", re.I),
                   re.compile(r"\d\s*(?:/|per\s+|a\s+)\s*(?:(?P<year>years?|yr|annum)|(?P<month>months?|mo)|(?P<week>weeks?|wk))\b",
                              re.I))}


def period_asked(text: str, lang: str = "en") -> str | None:
    """The period a price is asked for ("plus yearly price": "year"), or None."""
    patterns = _PERIODS.get(language_code(lang))
    m = patterns[0].search(text) if patterns and text else None
    return next(k for k, v in m.groupdict().items() if v) if m else None


def periods_stated(text: str, lang: str = "en") -> frozenset[str]:
    """The periods the amounts of ``text`` are stated in ("USD $8/month": {"month"})."""
    patterns = _PERIODS.get(language_code(lang))
    if not patterns or not text:
        return frozenset()
    return frozenset(k for m in patterns[1].finditer(text) for k, v in m.groupdict().items() if v)


def states_count(text: str, lang: str = "en") -> bool:
    """Whether ``text`` states a number of things, outside its durations ("up to 10 active job alerts")."""
    patterns = _PATTERNS.get(language_code(lang))
    if not patterns or "count" not in patterns or not text:
        return False
    return bool(patterns["count"].search(patterns["duration"].sub(" ", text)))


def is_definition(text: str, lang: str = "en") -> bool:
    """Whether ``text`` asks what something is, or how two things compare."""
    return _search("definition", text, lang)


#: the kinds a question can be of (see :func:`kinds_of`)
HOW_TO, MONEY, DURATION, DEFINITION, PERCENT, COUNT = "how-to", "money", "duration", "definition", "percent", "count"


_KINDS = ((HOW_TO, "procedural"), (MONEY, "money"), (DURATION, "duration_q"), (DEFINITION, "definition"),
          (PERCENT, "percent_q"), (COUNT, "count_q"))


def kinds_of(text: str, lang: str = "en") -> frozenset[str]:
    """Every kind ``text`` asks for, read once per question: HOW_TO, MONEY, DURATION, DEFINITION, PERCENT, COUNT."""
    patterns = _lowered(language_code(lang))
    if not patterns or not text:
        return frozenset()
    low = text.lower()
    return frozenset(kind for kind, name in _KINDS if name in patterns and patterns[name].search(low))


def duration_frame(text: str, lang: str = "en") -> list[str]:
    """The words that ask "how long" in a duration question ("how long", "wie lange", "cuánto tiempo"):
    they frame it, the stage or thing whose duration is asked is the topic."""
    patterns = _PATTERNS.get(language_code(lang))
    if not patterns or not text:
        return []
    return [w for m in patterns["duration_q"].finditer(text) for w in words(m.group(0))]
