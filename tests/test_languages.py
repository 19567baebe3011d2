"""Languages: a knowledge base's language, reading text in it, question kinds, replies."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot import Bot, SourceError, load_source
from bot import frames, kinds, replies
from bot.analyzer import Analyzer
from bot.languages import common_words, detect_language, stop_words
from bot.owner.evaluate import run
from bot.synonyms import Synonyms, default_synonyms
from bot.text import words

ROOT = Path(__file__).resolve().parent.parent
LANG = ROOT / "tests" / "fixtures" / "lang"
SETS = ROOT / "tests" / "data" / "lang"


# ------------------------------------------------------------------ a knowledge base's language

@pytest.mark.parametrize("name,language", [
    ("de-faq.csv", "de"), ("fr-faq.csv", "fr"), ("es-faq.csv", "es"), ("it-faq.csv", "it"), ("pt-faq.csv", "pt"),
])
def test_language_is_detected_from_the_text(tmp_path, name, language):
    shutil.copy(LANG / name, tmp_path / name)
    kb = load_source(tmp_path / name)
    assert kb.language == language
    assert Analyzer(kb.synonyms).language == language  # the knowledge base's table carries it to the index


@pytest.mark.parametrize("path,language", [
    (ROOT / "knowledge" / "python-backend-developer.txt", "en"),
    (ROOT / "tests" / "fixtures" / "kb" / "shipping.csv", "en"),
])
def test_english_sources_stay_english(path, language):
    assert load_source(path).language == language


def test_curation_language_wins_over_detection(tmp_path):
    shutil.copy(LANG / "de-faq.csv", tmp_path / "faq.csv")
    (tmp_path / "faq.yaml").write_text("language: fr\n", encoding="utf-8")
    assert load_source(tmp_path / "faq.csv").language == "fr"


def test_html_lang_attribute_names_the_language(tmp_path):
    page = tmp_path / "hilfe.html"
    page.write_text('<html lang="de-AT"><h2>Versand</h2><p>Shipping takes two days.</p></html>', encoding="utf-8")
    assert load_source(page).language == "de"


@pytest.mark.parametrize("value", ["german", "d", "12"])
def test_curation_language_must_be_a_two_letter_code(tmp_path, value):
    shutil.copy(LANG / "de-faq.csv", tmp_path / "faq.csv")
    (tmp_path / "faq.yaml").write_text(f"title: FAQ\nlanguage: {value}\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"faq.yaml, line 2: 'language' must be a two-letter ISO 639-1 code"):
        load_source(tmp_path / "faq.csv")


@pytest.mark.parametrize("text,language", [
    ("Bitcoin ist ein konsensorientiertes Netzwerk, welches ein neues Zahlungssystem möglich macht.", "de"),
    ("Le Bitcoin est un réseau basé sur le consensus, qui permet un nouveau système de paiement.", "fr"),
    ("Bitcoin es una red consensuada que permite un nuevo sistema de pago y una moneda digital.", "es"),
    ("Shipping takes two to four working days; returns are free within thirty days.", "en"),
    ("Hi", "en"),  # too short to tell: the default
])
def test_detect_language(text, language):
    assert detect_language(text) == language


# ------------------------------------------------------------------ reading text in a language

@pytest.mark.parametrize("language,text,terms", [
    ("en", "How many years until senior?", ["year", "senior"]),
    ("de", "Wie kann ich Bitcoins kaufen?", ["bitcoin", "kauf"]),
    ("de", "Wie hoch sind die Gebühren?", ["hoch", "gebuhr"]),
    ("fr", "Comment fonctionne le réseau ?", ["fonction", "reseau"]),
    ("fr", "Qu'est-ce que l'exploitation minière ?", ["exploit", "mini"]),  # "-ière" read by the stemmer
    ("es", "¿Cuánto tarda una transacción?", ["tard", "transaccion"]),
])
def test_analyzer_stems_and_drops_stop_words_in_its_language(language, text, terms):
    assert Analyzer(Synonyms(language=language)).terms(text) == terms  # no synonym table: stems alone


@pytest.mark.parametrize("language,a,b", [
    ("fr", "téléphone sécurisé", "telephone securise"),
    ("es", "¿Qué es la minería?", "que es la mineria"),
    ("de", "Gebühren für Überweisungen", "Gebuhren fur Uberweisungen"),
])
def test_accents_are_optional_outside_english(language, a, b):
    analyzer = Analyzer(language=language)
    assert analyzer.terms(a) == analyzer.terms(b)


@pytest.mark.parametrize("text,expected", [
    ("l'adresse qu'est-ce", ["l", "adresse", "qu", "est", "ce"]),
    ("dell'ordine", ["dell", "ordine"]),
    ("don't the developer's", ["dont", "the", "developer"]),
    ("Größe und Gebühren", ["größe", "und", "gebühren"]),
    ("c++ and c# skills", ["c++", "and", "c#", "skills"]),
])
def test_words_keep_letters_of_any_language_and_split_elisions(text, expected):
    assert words(text) == expected


@pytest.mark.parametrize("question,document,split", [
    ("Transaktionsgebühren", "Jede Transaktion kostet Gebühren.", ["transaktion", "gebuhr"]),
    ("Bitcoinpreis", "Der Preis von Bitcoin schwankt.", ["bitcoin", "preis"]),
    ("Zahlungsnetzwerk", "Das Netzwerk verarbeitet jede Zahlung.", ["zahlung", "netzwerk"]),
])
def test_german_compounds_split_into_the_document_words(question, document, split):
    analyzer = Analyzer(Synonyms(language="de")).learn_compounds([document])
    assert analyzer.terms(question) == split


def test_german_compound_with_an_unknown_part_stays_whole():
    analyzer = Analyzer(language="de").learn_compounds(["Jede Transaktion kostet Gebühren."])
    assert analyzer.terms("Transaktionsdauer") == ["transaktionsdau"]
    english = Analyzer(language="en").learn_compounds(["the user name", "a password"])
    assert english.terms("username") == ["usernam"]  # only German splits this way


def test_general_synonym_tables_are_per_language():
    assert len(default_synonyms("en")) > 100
    assert len(default_synonyms("de")) > 50 and len(default_synonyms("fr")) > 50 and len(default_synonyms("es")) > 50
    assert len(default_synonyms("it")) > 50 and len(default_synonyms("pt")) > 50 and len(default_synonyms("nl")) == 0
    assert Analyzer(language="de").terms("sr dev") == ["sr", "dev"]  # English shorthand stays English
    assert Analyzer(language="en").terms("sr dev") == Analyzer(language="en").terms("senior developer")


def test_curation_synonyms_apply_in_the_knowledge_base_language(tmp_path):
    shutil.copy(LANG / "de-faq.csv", tmp_path / "faq.csv")
    (tmp_path / "faq.yaml").write_text("synonyms: {Geldbörse: [Portemonnaie, Börse]}\n", encoding="utf-8")
    analyzer = Analyzer(load_source(tmp_path / "faq.csv").synonyms)
    assert analyzer.terms("Portemonnaies") == analyzer.terms("Geldbörsen")


@pytest.mark.parametrize("language,word,present", [
    ("en", "house", True), ("de", "haus", True), ("fr", "maison", True), ("es", "casa", True),
    ("xx", "casa", False),
])
def test_common_words_per_language(language, word, present):
    assert (word in common_words(language)) is present
    assert isinstance(Analyzer(language=language).common_words(), dict)


@pytest.mark.parametrize("language,word", [("en", "the"), ("de", "warum"), ("fr", "pourquoi"), ("es", "cuándo"),
                                           ("es", "cuando")])
def test_stop_words_per_language(language, word):
    assert word in stop_words(language)
    assert stop_words("xx") == frozenset()


# ------------------------------------------------------------------ question kinds

@pytest.mark.parametrize("text,lang,kind", [
    ("How do I reset my password?", "en", "procedural"),
    ("Wie kann ich Bitcoins kaufen?", "de", "procedural"),
    ("Comment acheter des bitcoins ?", "fr", "procedural"),
    ("¿Cómo puedo comprar bitcoins?", "es", "procedural"),
    ("How much does the plan cost?", "en", "money"),
    ("how much is jobicy+ per mo", "en", "money"),
    ("how much is the plus plan?", "en", "money"),
    ("Wie viel kostet eine Überweisung?", "de", "money"),
    ("Combien coûte une transaction ?", "fr", "money"),
    ("¿Cuánto cuesta una transacción?", "es", "money"),
    ("Wie hoch ist der Bitcoin-Kurs heute?", "de", "money"),            # "what is the price": an amount asked
    ("Quel est le cours du bitcoin ?", "fr", "money"),
    ("¿Cuál es la cotización del bitcoin?", "es", "money"),
    ("Qual è il prezzo di un bitcoin?", "it", "money"),
    ("Qual é a cotação do bitcoin em reais?", "pt", "money"),
    ("tell me the cost of the plus plan", "en", "money"),
    ("How long until senior?", "en", "duration"),
    ("tell me the experience range for a junior", "en", "duration"),
    ("how many hours of study would that take?", "en", "duration"),   # hours, weeks, days: a span, not a count
    ("how many weeks until I'm job ready?", "en", "duration"),
    ("Wie lange dauert eine Bestätigung?", "de", "duration"),
    ("Combien de temps faut-il attendre ?", "fr", "duration"),
    ("¿Cuánto tiempo tarda una confirmación?", "es", "duration"),
    ("What is Django?", "en", "definition"),
    ("which certification is easiest", "en", "definition"),             # a comparison

    ("Was ist eine Blockchain?", "de", "definition"),
    ("Qu'est-ce que le minage ?", "fr", "definition"),
    ("¿Qué es la minería?", "es", "definition"),
])
def test_question_kinds_per_language(text, lang, kind):
    found = {"procedural": kinds.is_procedural(text, lang), "money": kinds.is_about_money(text, lang),
             "duration": kinds.is_about_duration(text, lang), "definition": kinds.is_definition(text, lang)}
    assert [k for k, yes in found.items() if yes] == [kind]


@pytest.mark.parametrize("text,lang", [
    ("Warum ist Bitcoin etwas wert?", "de"),
    ("Pourquoi le bitcoin a-t-il de la valeur ?", "fr"),
    ("¿Por qué tiene valor Bitcoin?", "es"),
    ("how much is the growth in demand for this role", "en"),
    ("How do I reset my password?", "nl"),  # no rules for Dutch: never a kind, never an error
    ("Hoe kan ik bitcoin kopen?", "nl"),
    ("Por que bitcoins têm valor?", "pt"),
    ("Was bestimmt den Bitcoin-Preis?", "de"),  # what sets the price, no amount asked
    ("O que determina o preço do bitcoin?", "pt"),
    ("Wie hoch sind die Gebühren?", "de"),       # fees: the answer may say "low" without an amount
])
def test_other_questions_and_languages_have_no_kind(text, lang):
    assert not any(f(text, lang) for f in (kinds.is_procedural, kinds.is_about_money,
                                           kinds.is_about_duration, kinds.is_definition))


@pytest.mark.parametrize("text,lang,amount,duration", [
    ("Plus costs USD $8/month", "en", True, False),
    ("Eine Bestätigung dauert etwa 10 Minuten und kostet 0,50 €.", "de", True, True),
    ("Comptez 2 à 3 jours et 20 euros.", "fr", True, True),
    ("Tarda 6 horas.", "es", False, True),
])
def test_entries_state_amounts_and_durations_per_language(text, lang, amount, duration):
    assert kinds.states_amount(text, lang) is amount
    assert kinds.states_duration(text, lang) is duration


# ------------------------------------------------------------------ replies

@pytest.mark.parametrize("question,lang,intent,start", [
    ("hello", "en", "greeting", "Hello! I answer questions about"),
    ("Hallo!", "de", "greeting", "Hallo! Ich beantworte Fragen zu"),
    ("Danke schön", "de", "thanks", "Gern geschehen!"),
    ("Bonjour", "fr", "greeting", "Bonjour ! Je réponds aux questions sur"),
    ("Qui es-tu ?", "fr", "identity", "Je suis faqbot"),
    ("¡Hola!", "es", "greeting", "¡Hola! Respondo preguntas sobre"),
    ("thanks", "es", "thanks", "¡De nada!"),  # English small talk is understood everywhere
    ("hello", "it", "greeting", "Hello! I answer questions about"),  # no Italian replies: English
])
def test_smalltalk_replies_in_the_knowledge_base_language(question, lang, intent, start):
    got = replies.smalltalk_intent(question, lang)
    assert got is not None and got[0] == intent and got[1].startswith(start)


@pytest.mark.parametrize("lang,related,message", [
    ("en", False, "Sorry, I don't know the answer to that: the FAQ doesn't seem to cover it. "
                  "You could try one of these questions:"),
    ("en", True, "Sorry, I don't know the answer to that: the FAQ doesn't seem to cover it. Did you mean one of these?"),
    ("de", False, "Entschuldigung, darauf weiß ich keine Antwort: FAQ scheint das nicht abzudecken. "
                  "Versuchen Sie vielleicht eine dieser Fragen:"),
    ("fr", True, "Désolé, je ne connais pas la réponse : FAQ ne semble pas traiter ce sujet. "
                 "Vouliez-vous dire l'une de ces questions ?"),
    ("es", False, "Lo siento, no sé la respuesta: FAQ no parece tratar ese tema. Puede probar una de estas preguntas:"),
    ("it", False, "Sorry, I don't know the answer to that: the FAQ doesn't seem to cover it. "
                  "You could try one of these questions:"),
])
def test_unknown_message_per_language(lang, related, message):
    assert replies.unknown_message("FAQ", lang, related) == message


# ------------------------------------------------------------------ the question sets

@pytest.mark.parametrize("language,name,in_scope,out_of_scope", [
    # 19/12, 17/12, 22/10, 26/11 at the session's start; 32/11, 24/12, 33/12, 34/11 before issue 17's second pass
    ("de", "de", 40, 11), ("fr", "fr", 40, 12), ("es", "es", 41, 12), ("it", "it", 40, 12),
    # the second sets, written from the FAQ files only (9/6, 12/5, 15/5, 13/6 before that pass)
    ("de", "de-2", 19, 6), ("fr", "fr-2", 20, 6), ("es", "es-2", 19, 5), ("it", "it-2", 21, 6),
    # Portuguese (pt-2 written before any Portuguese tables: 15/30 and 10/10 then; 'quem manda na rede' is a
    # near tie, 'mandar' read as 'enviar')
    ("pt", "pt-2", 29, 10),
    # the spent unseen Portuguese set: 13/36 and 12/12 before the Portuguese tables
    ("pt", "pt-unseen", 26, 12),
    # the second unseen Portuguese set (run once before: 14/30, 10/10; once after the Portuguese tables: 25/30,
    # 8/10; 10/10 since 'what is the price' asks for an amount)
    ("pt", "pt-r2-unseen", 25, 10),
    # the third, kept unseen until the end: 16/30 and 10/10 on the session-start code, 26/30 and 10/10 after
    ("pt", "pt-r3-unseen", 26, 10),
    # informal chat-box questions (slang, texting shorthand, no accents), visible from the start: far below the
    # formal sets, and kept to show it
    ("es", "es-4", 12, 10), ("de", "de-5", 11, 12),
    # kept unseen until the end of the session that wrote es-4 and de-5: 14/30, 7/10 and 10/30, 10/10 before
    # and after it
    ("es", "es-r3-unseen", 14, 7), ("de", "de-r4-unseen", 10, 10),
    # a third German set, kept unseen until the end: 19/30 and 9/10 before and after this session's work;
    # 20/30 since stem families and transliterated commonness
    ("de", "de-r3-unseen", 20, 9),
    # a fourth round, kept unseen until run once (German, Spanish, French): unchanged by a session of English work
    ("de", "de-r5-unseen", 7, 12), ("es", "es-r4-unseen", 10, 12), ("fr", "fr-r3-unseen", 5, 12),
    # a fifth, kept unseen until run once: unchanged by this session's work (English, passages, prompts)
    ("de", "de-r6-unseen", 10, 8), ("es", "es-r6-unseen", 10, 9), ("fr", "fr-r6-unseen", 13, 10),
])
def test_language_question_sets_do_not_regress(tmp_path, language, name, in_scope, out_of_scope):
    shutil.copy(LANG / f"{language}-faq.csv", tmp_path / f"{language}-faq.csv")
    rep = run(Bot.from_path(tmp_path), SETS / f"{name}.yaml")
    assert (rep.in_ok, rep.out_ok) >= (in_scope, 0) and rep.out_ok >= out_of_scope, rep.summary()


# ------------------------------------------------------------------ reading other languages (issue 17)

def test_a_saved_german_index_splits_compounds_as_the_fitted_one(tmp_path):
    shutil.copy(LANG / "de-faq.csv", tmp_path / "de-faq.csv")
    fitted = Bot.from_path(tmp_path)  # fits and saves
    loaded = Bot.from_path(tmp_path)  # loads the saved index
    q = "Wie hoch sind die Transaktions Gebühren?"
    read = [list(b._searchers.values())[0].index.read(q).terms for b in (fitted, loaded)]
    assert read[0] == read[1] and "transaktion" in read[1] and "preis" in read[1]  # Gebühr reads as Preis


@pytest.mark.parametrize("language,word", [
    ("de", "wetter"), ("de", "kurs"), ("de", "münchen"), ("es", "inventó"), ("es", "salen"), ("es", "recomiendan"),
])
def test_real_words_of_other_languages_are_not_repaired(language, word):
    bot = Bot.from_path(LANG / f"{language}-faq.csv")
    q = list(bot._searchers.values())[0].index.read(f"{word} bitcoin")
    assert q.corrections == () and q.words[0] == word


@pytest.mark.parametrize("language,a,b", [
    ("es", "bitcoins", "bitcoin"), ("it", "wallets", "wallet"), ("de", "skaliert", "skalieren"),
    ("de", "Skalierung", "skalieren"), ("de", "kontrolliert", "kontrollieren"),
])
def test_forms_the_stemmer_left_apart_read_alike(language, a, b):
    an = Analyzer(language=language)
    assert an.terms(a) == an.terms(b) != []


@pytest.mark.parametrize("language,text,kept", [
    ("de", "Ist das Netzwerk sicherer?", "sich"), ("es", "Más información", "inform"),
])
def test_a_word_whose_stem_is_a_stop_words_stays(language, text, kept):
    assert kept in Analyzer(language=language).terms(text)
    assert Analyzer(language=language).terms("sich" if language == "de" else "informo") == []


@pytest.mark.parametrize("text,lang", [
    ("¿Cuánto vale un bitcoin?", "es"), ("¿A cuánto está hoy el bitcoin?", "es"),
    ("Combien vaut un bitcoin ?", "fr"), ("Wie viel ist ein Bitcoin wert?", "de"),
])
def test_price_questions_ask_for_an_amount(text, lang):
    assert kinds.is_about_money(text, lang)


@pytest.mark.parametrize("language,question,phrase", [
    ("de", "Was passiert wenn ich meine Wallet verliere?", "aus dem Umlauf"),
    ("fr", "Je peux miner avec mon ordinateur portable ?", "commencer à miner"),
    ("es", "¿El bitcoin puede llegar a valer cero?", "valer nada"),
])
def test_questions_in_other_languages_now_answered(language, question, phrase):
    ans = Bot.from_path(LANG / f"{language}-faq.csv").ask(question)
    assert ans.answered and phrase.lower() in f"{ans.entry.title} {ans.entry.text}".lower(), ans.confidence


@pytest.mark.parametrize("language,question", [
    ("es", "¿Qué monedero de hardware me recomiendan?"), ("es", "¿A cuánto está hoy el bitcoin en euros?"),
    ("de", "Wie wird das Wetter morgen in Hamburg?"),
])
def test_out_of_scope_in_other_languages_declined(language, question):
    assert not Bot.from_path(LANG / f"{language}-faq.csv").ask(question).answered


@pytest.mark.parametrize("language, a, b", [
    ("de", "Wie hoch ist die Gebühr?", "Wie hoch ist der Preis?"),
    ("de", "Kennwort vergessen", "Passwort vergessen"),
    ("fr", "quel est le tarif", "quel est le prix"),
    ("es", "cuál es la tarifa", "cuál es el precio"),
    ("it", "qual è la tariffa", "qual è il prezzo"),
    # the general vocabulary of explanatory FAQs (software, finance, public services, travel)
    ("de", "Darlehen beantragen", "Kredit beantragen"), ("de", "Ordner löschen", "Verzeichnis löschen"),
    ("fr", "médecin de garde", "docteur de garde"), ("fr", "une arnaque", "une escroquerie"),
    ("es", "pasaporte caducado", "pasaporte vencido"), ("es", "billete de avión", "boleto de avión"),
])
def test_each_language_has_a_general_synonym_table(language, a, b):
    """bot/data/synonyms.<code>.txt: everyday synonyms of the language read alike."""
    analyzer = Analyzer(default_synonyms(language))
    assert analyzer.terms(a) == analyzer.terms(b)


def test_a_general_synonym_is_not_a_stem_of_another_word():
    """ "unter Umständen" (under circumstances) is not "umständlich" (cumbersome): their stems are one."""
    analyzer = Analyzer(default_synonyms("de"))
    assert analyzer.terms("unter Umständen") != analyzer.terms("kompliziert")


def test_a_language_without_a_synonym_table_gets_an_empty_one():
    assert Analyzer(default_synonyms("nl")).terms("wat is het tarief") != \
        Analyzer(default_synonyms("nl")).terms("wat is de prijs")


def test_a_german_question_in_other_words_finds_its_entry(tmp_path):
    faq = tmp_path / "hilfe.csv"
    faq.write_text("question,answer\n"
                   "Wie ändere ich mein Passwort?,Öffnen Sie die Einstellungen und wählen Sie Sicherheit.\n"
                   "Wie lange dauert der Versand?,Pakete kommen innerhalb von drei Werktagen an.\n"
                   "Welche Zahlungsarten gibt es?,Sie können per Rechnung oder Kreditkarte bezahlen.\n",
                   encoding="utf-8")
    bot = Bot.from_path(faq, saved_index=False)
    reply = bot.ask("Kennwort ändern, wie geht das?")
    assert reply.answered and "Einstellungen" in reply.entry.text


@pytest.mark.parametrize("language,a,b", [
    ("fr", "confirmée", "confirmee"), ("fr", "sécurité", "securite"), ("es", "minería", "mineria"),
    ("de", "bestätigt", "bestaetigt"), ("de", "Gebühren", "Gebuehren"),
    ("de", "Synchronisation", "synchronisieren"), ("de", "Deflation", "deflationär"), ("de", "Mining", "minen"),
    ("it", "mining", "minare"),
    ("fr", "coûtent", "coûte"), ("fr", "arrivent", "arriver"), ("es", "anónimos", "anónimo"), ("es", "anonimos", "anónimo"),
    ("fr", "perdus", "perdu"),
])
def test_spellings_and_borrowings_read_alike(language, a, b):
    an = Analyzer(Synonyms(language=language), language=language)
    assert an.terms(a) == an.terms(b) != []


@pytest.mark.parametrize("language,question,frame", [
    ("fr", "D'où viennent les nouveaux bitcoins ?", "viennent"), ("de", "Woher kommen neue Bitcoins?", "kommen"),
    ("es", "¿De dónde salen los bitcoins nuevos?", "salen"), ("it", "Da dove vengono i nuovi bitcoin?", "vengono"),
    ("en", "Where do new bitcoins come from?", None), ("fr", "De quoi dépend le prix ?", "dépend"),
    ("de", "Wovon hängt der Preis ab?", "hängt"),
])
def test_where_from_frames_a_question(language, question, frame):
    assert frames.origin_frame(question, language)[-1:] == ([frame] if frame else [])


@pytest.mark.parametrize("text,lang", [
    ("Warum dauert es so lange, bis meine Zahlung bestätigt ist?", "de"),
    ("Pourquoi ma transaction met tant de temps à être confirmée ?", "fr"),
    ("¿Por qué tarda tanto en confirmarse mi pago?", "es"),
])
def test_why_it_takes_so_long_asks_for_a_duration(text, lang):
    assert kinds.is_about_duration(text, lang)


@pytest.mark.parametrize("text", ["Wie erhält man Bitcoins?", "Wie kündigt man ein Abo?", "wie kann ich bitcoins kaufen"])
def test_german_how_does_one_asks_how_to(text):
    assert kinds.is_procedural(text, "de")


@pytest.mark.parametrize("text,lang", [("¿Cuánto costará la comisión?", "es"), ("Combien coûtera l'envoi ?", "fr")])
def test_future_price_questions_ask_for_an_amount(text, lang):
    assert kinds.is_about_money(text, lang)


@pytest.mark.parametrize("text,kind", [
    ("Come posso comprare bitcoin?", kinds.HOW_TO), ("Quanto vale oggi un bitcoin in euro?", kinds.MONEY),
    ("Quanto tempo ci vuole per una conferma?", kinds.DURATION), ("Che cos'è Bitcoin?", kinds.DEFINITION),
])
def test_italian_question_kinds(text, kind):
    assert kind in kinds.kinds_of(text, "it")


def test_a_verb_done_again_reads_as_the_verb_the_faq_uses():
    bot = Bot.from_path(LANG / "fr-faq.csv")
    read = list(bot._searchers.values())[0].index.read("Et si quelqu'un rachetait tous les bitcoins ?")
    assert "achet" in read.terms and "rachet" not in read.terms


# ------------------------------------------------------------------ Portuguese (Brazilian)

@pytest.mark.parametrize("text,kind", [
    ("Como posso comprar bitcoin?", kinds.HOW_TO), ("como faço pra comprar bitcoin?", kinds.HOW_TO),
    ("Quanto custa uma transação?", kinds.MONEY), ("Quanto está valendo um bitcoin hoje em reais?", kinds.MONEY),
    ("qnto custa pra enviar?", kinds.MONEY), ("Quanto será a taxa de transação?", kinds.MONEY),
    ("Quanto tempo demora uma confirmação?", kinds.DURATION), ("pq ta demorando tanto?", kinds.DURATION),
    ("O que é Bitcoin?", kinds.DEFINITION), ("oq é mineração", kinds.DEFINITION),
])
def test_portuguese_question_kinds(text, kind):
    assert kind in kinds.kinds_of(text, "pt")


@pytest.mark.parametrize("text,amount,duration", [
    ("A taxa é de R$ 5,00 e a confirmação leva 10 minutos.", True, True),
    ("Custa 20 reais.", True, False), ("Nenhum valor é informado.", False, False),
])
def test_portuguese_entries_state_amounts_and_durations(text, amount, duration):
    assert kinds.states_amount(text, "pt") is amount and kinds.states_duration(text, "pt") is duration


def test_portuguese_where_from_frames_a_question():
    assert frames.origin_frame("De onde vêm os novos bitcoins?", "pt")[-1:] == ["vêm"]


@pytest.mark.parametrize("word", ["vc", "pq", "tb", "q", "pra", "tá", "né", "gostaria", "prezados", "quais", "olá"])
def test_portuguese_chat_words_are_stop_words(word):
    assert word in stop_words("pt")


@pytest.mark.parametrize("word", ["desligado", "tempo", "valor", "novo", "trabalho", "usar"])
def test_topical_words_of_the_portuguese_stop_list_stay_words(word):
    assert word not in stop_words("pt") and Analyzer(language="pt").terms(word) != []


def test_a_portuguese_chat_question_reads_as_the_formal_one():
    an = Analyzer(default_synonyms("pt"))
    assert an.terms("oi, vc sabe pq o bitcoin tem valor? tb queria saber") == an.terms("Por que o Bitcoin tem valor?")
    assert an.terms("Bom dia! O bitcoin é seguro?") == an.terms("O Bitcoin é seguro?")


@pytest.mark.parametrize("a,b", [
    ("bitcoins", "bitcoin"), ("transações", "transação"), ("transacoes", "transação"), ("digitais", "digital"),
    ("mensagens", "mensagem"), ("anônimos", "anônimo"), ("possíveis", "possível"), ("apps", "app"),
])
def test_portuguese_plurals_read_as_their_singulars(a, b):
    an = Analyzer(Synonyms(language="pt"), language="pt")
    assert an.terms(a) == an.terms(b) != []


def test_portuguese_plural_rules_leave_short_function_words():
    an = Analyzer(Synonyms(language="pt"), language="pt")
    assert an.terms("mal") == ["mal"]  # "mais" is not read as a plural of "mal", so "mal" is no stop word


@pytest.mark.parametrize("a,b", [
    ("enviar bitcoins", "mandar bitcoins"), ("quem inventou", "quem criou"), ("meu pc", "meu computador"),
    ("é complicado", "é difícil"), ("é proibido?", "é ilegal?"), ("pirâmide financeira", "esquema Ponzi"),
])
def test_portuguese_synonym_table(a, b):
    analyzer = Analyzer(default_synonyms("pt"))
    assert analyzer.terms(a) == analyzer.terms(b) != []


@pytest.mark.parametrize("question,intent,start", [
    ("Oi!", "greeting", "Olá! Respondo perguntas sobre"), ("boa tarde", "greeting", "Olá!"),
    ("Valeu!", "thanks", "De nada!"), ("obrigado pela ajuda", "thanks", "De nada!"),
    ("tchau", "goodbye", "Tchau!"), ("quem é você?", "identity", "Sou o faqbot"), ("ajuda", "help", "Respondo"),
    ("thanks", "thanks", "De nada!"),  # English small talk, the Portuguese reply
])
def test_portuguese_smalltalk(question, intent, start):
    got = replies.smalltalk_intent(question, "pt")
    assert got is not None and got[0] == intent and got[1].startswith(start)


def test_a_portuguese_question_with_a_greeting_is_no_smalltalk():
    assert replies.smalltalk_intent("oi, como funciona o bitcoin?", "pt") is None


def test_portuguese_unknown_message():
    assert replies.unknown_message("FAQ", "pt") == ("Desculpe, não sei a resposta: FAQ não parece tratar desse assunto. "
                                                   "Você pode experimentar uma destas perguntas:")
    assert replies.message("not_sure", "pt").startswith("Não tenho certeza")


@pytest.mark.parametrize("question,phrase", [
    ("quem inventou o bitcoin?", "Quem criou o Bitcoin"),
    ("e se meu pc tiver desligado quando alguem me mandar bitcoin?", "computador estiver desligado"),
    ("isso nao é uma piramide financeira?", "esquema Ponzi"),
])
def test_portuguese_questions_in_other_words_answered(question, phrase):
    ans = Bot.from_path(LANG / "pt-faq.csv").ask(question)
    assert ans.answered and phrase.lower() in f"{ans.entry.title} {ans.entry.text}".lower(), ans.confidence


@pytest.mark.parametrize("question", ["Quanto está valendo um bitcoin hoje em reais?", "Vai chover amanhã em São Paulo?"])
def test_portuguese_out_of_scope_declined(question):
    assert not Bot.from_path(LANG / "pt-faq.csv").ask(question).answered


def test_a_how_to_is_not_answered_by_a_definition_it_merely_names(tmp_path):
    """"Wie komme ich an Bitcoins ran?" (how do I get hold of bitcoins) reads as "bitcoin" alone, the whole of
    "Was ist Bitcoin?": that is not its own question, since it asks how; the entry that tells how answers."""
    from bot import Bot
    from bot.knowledge import load_source
    bot = Bot([load_source(ROOT / "tests" / "fixtures" / "lang" / "de-faq.csv", name="de")])
    a = bot.ask("Wie komme ich an Bitcoins ran?")
    assert a.answered and a.entry.title == "Wie erhält man Bitcoins?"


# ------------------------------------------------------------------ word families outside English

def test_stems_of_one_word_family_read_as_one_outside_english():
    an = Analyzer(language="de").learn_families([words("Wer kontrolliert das Netzwerk? Die Kontrolle liegt bei allen. "
                                              "Zahlungen werden bestätigt, die Bestätigung dauert.")])
    assert an.terms("Kontrolle") == an.terms("kontrolliert") == ["kontroll"]
    assert an.terms("bestätigt") == an.terms("Bestätigung")
    assert an.terms("Netzwerk") == ["netzwerk"]  # a stem with no shorter relative stays itself


def test_english_and_short_stems_keep_their_own_families():
    en = Analyzer(language="en").learn_families([words("principal principle scientist science")])
    assert en.families == {}
    de = Analyzer(language="de").learn_families([words("Geld Geldbörse Wert Wertpapier")])  # stems under 6 letters
    assert de.families == {}


def test_a_question_with_another_form_of_the_entry_word_finds_it(tmp_path):
    faq = tmp_path / "hilfe.csv"
    faq.write_text("question,answer\n"
                   "Wer kontrolliert das Netzwerk?,Niemand besitzt es; alle Nutzer gemeinsam.\n"
                   "Was ist eine Wallet?,Eine Wallet gibt Ihnen die Kontrolle über Ihr Geld.\n"
                   "Wie lange dauert eine Zahlung?,Etwa zehn Minuten.\n", encoding="utf-8")
    fitted = Bot.from_path(faq)  # fits and saves
    loaded = Bot.from_path(faq)  # reads the saved families back
    for bot in (fitted, loaded):
        reply = bot.ask("Wer hat die Kontrolle über das Netzwerk?")
        assert reply.answered and reply.entry.title == "Wer kontrolliert das Netzwerk?"


def test_a_word_typed_without_umlauts_is_as_common_as_with_them():
    from bot.languages import commonness
    assert commonness("gehoert", "de") == commonness("gehört", "de") > 0.5
    assert commonness("tambien", "es") == commonness("también", "es") > 0.5


def test_an_english_plural_or_third_person_weighs_as_ordinary_as_its_base():
    from bot.languages import commonness, everyday
    assert everyday("helps") == commonness("help") > 2 * commonness("helps")  # "does X help?" only frames it
    assert everyday("gaming") == commonness("gaming") < commonness("game")  # "-ing" may name a topic: gaming
    assert everyday("founded") == commonness("founded")  # "-ed" may be another verb's past: "found"
    assert everyday("salaries") < 0.2  # a rare word stays rare in every form


@pytest.mark.parametrize("word", ["irgendwem", "irgendwelche", "irgendeinen", "jemandem"])
def test_german_indefinite_pronouns_are_stop_words(word):
    assert word in stop_words("de")


@pytest.mark.parametrize("language, word", [("de", "nen"), ("de", "nix"), ("es", "xq"), ("es", "tb"), ("fr", "pk"), ("fr", "koi")])
def test_chat_shorthand_of_function_words_is_a_stop_word(language, word):
    assert word in stop_words(language)
