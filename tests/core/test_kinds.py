"""Kinds read from a reply's own words: a wish to be taken off the list is a withdrawal, a
complaint that the name is missing from it is not."""

from pathlib import Path

import pytest

from mailbot.core.model import Kind
from mailbot.core.reply import read_reply
from tests.core.plain_mail import RULES, plain_mail

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "mail"


def kind_of(body: str) -> Kind:
    return read_reply(plain_mail(body), RULES).kind


@pytest.mark.parametrize("body", [
    "I think it would be wiser if my name did not appear on the published list after all. Could you take "
    "it off?",
    "I am afraid I must ask that my name not appear on the published list after all.",
    "¿Sería posible que no incluyeran mi nombre?",
    "Gostaria de pedir que ele não seja divulgado na lista.",
    "Вынуждена попросить вас, чтобы моё имя всё-таки не фигурировало в опубликованном списке.",
    "Je préférerais finalement que mon nom n'apparaisse pas parmi les signataires.",
    "Ich möchte Sie leider bitten, meinen Namen nicht mit zu veröffentlichen.",
    "I would be grateful if you could take it off the list before publication.",
    "Ich möchte doch lieber nicht öffentlich genannt werden.",
    "Vocês podem desconsiderar a minha assinatura?",
    # a pattern written with "й" must match text folded to "и"
    "Если можно, не публикуйте моё имя вместе с остальными.",
    "Les agradecería que mi nombre no se publique.",
    "Leider muss ich Sie bitten, von einer Veröffentlichung meines Namens abzusehen.",
    "Je préférerais finalement ne pas figurer parmi les signataires.",
    # the same wish in any words: the own name, "not shown" close to it, a wish in the sentence
    "Estimados, por razones familiares les pido que mi nombre no figure en la carta.",
    "Pensei melhor e gostaria que a minha assinatura não fosse publicada.",
    "Не публикуйте, пожалуйста, моё имя.",
    "On reflection I would prefer that my signature not appear on the published list.",
    "Nach Rücksprache möchte ich Sie bitten, meine Unterschrift nicht zu veröffentlichen.",
    "Please don't publish my name.",
    "Я был бы вам очень признателен, если бы вы не стали публиковать моё имя.",
    "Ich bitte Sie daher freundlich, meinen Namen bei der Veröffentlichung nicht zu berücksichtigen.",
    "Je préférerais que mon nom ne figure pas sur la liste.",
    "Me pidieron que no aparezca mi nombre en la lista pública por ahora.",
    "Por motivos profissionais, gostaria que o meu nome não constasse da lista a publicar.",
    "Preferirei che il mio nome non comparisse nella lista.",
    "Ich möchte lieber doch nicht mit Namen auf der Liste stehen. Ist das noch möglich?",
    "Лучше моё имя не публиковать. Если ещё можно, уберите меня, пожалуйста, из списка.",
    "Прошу видалити мій підпис, обставини змінилися.",
    # the writer taken off the list, in any word order: "me" and the list, or one's own entry
    "Please don't include me after all.",
    "Pouvez-vous me retirer de la liste des signataires ?",
    "Je souhaite me désister de cet appel.",
    "Bórrenme de la lista, por favor.",
    "Les pido que me saquen de la lista de firmantes.",
    "Tirem-me da lista, por favor.",
    "Desisto de assinar o apelo.",
    "Bitte nehmen Sie mich von der Liste.",
    "Bitte streichen Sie mich von der Unterzeichnerliste.",
    "Cancellatemi dalla lista, per favore.",
    "Toglietemi dall'elenco dei firmatari.",
    "Non voglio più comparire tra i firmatari.",
    "Je ne peux plus signer cet appel, merci de m'enlever.",
    "Ich muss meine Unterstützung leider zurückziehen.",
    "Прошу не включать меня в список подписавших.",
    "Por motivos personales, necesito que me eliminen de la lista de firmantes.",
    "Bitte löschen Sie meinen Eintrag.",
    "Please delete me from the list of signers.",
    # roundabout wishes, some hard-wrapped in the middle of the sentence
    "Пожалуй, будет лучше, если моя фамилия не появится в опубликованном списке.",
    "Lo he pensado mejor y prefiero que mi\nnombre no aparezca publicado.",
    "Pensei melhor: prefiro que o meu nome não apareça na lista.",
    "Il me semble plus prudent que mon nom ne figure pas publiquement au bas de la lettre.",
    "Ich möchte deshalb lieber nicht, dass mein Name öffentlich erscheint.",
    "Would you mind very much keeping my name off the published list?",
    "К сожалению, мне бы не хотелось, чтобы моя фамилия фигурировала в публикации.",
    "Ripensandoci non me la sento di comparire con nome e cognome.",
    "I would rather not appear with my full name.",
    "Ich hoffe, es ist kein großer Aufwand, mich wieder herauszunehmen.",
    "On reflection I'm not comfortable having my name published. Could you keep my signature private?",
])
def test_a_wish_to_be_off_the_list_is_a_withdrawal(body):
    assert kind_of(body) is Kind.withdrawal


@pytest.mark.parametrize("body", [
    "My name does not appear on the list yet. Did you receive my signature?",
    "I couldn't find my name on the published list, is something wrong?",
    "Mein Name steht noch nicht auf der Liste. Haben Sie meine Mail bekommen?",
    "O meu nome não aparece na lista. Receberam a minha assinatura?",
    "Il mio nome non compare ancora nella lista, avete ricevuto la mia firma?",
    "Could you check why my name does not appear on the list?",
    "Please do not list my organization, only my name.",
    "I would like my name to appear as Jean-Luc, not Jean Luc.",
    # a report, a question, or the opposite wish
    "You removed my name by mistake, I never asked for that.",
    "Why was my name removed from the list?",
    "Please don't remove my name, I still support the appeal.",
    "Bitte nehmt mich in die Liste auf.",
    "Please add my name: Tariq Mahmood, retired irrigation engineer, Lahore, Pakistan.",
    "Soy maestro retirado, mi nombre es Pedro Gil y firmo el llamamiento.",
    "Please remove the typo in my name: it is Jean-Luc.",
    "Bitte entfernen Sie den Titel aus meinem Namen.",
])
def test_a_missing_name_is_not_a_withdrawal(body):
    assert kind_of(body) is not Kind.withdrawal


def test_a_question_with_only_a_country_is_a_question():
    """A form-like line ("Страна — Узбекистан") in a question about signing makes no signature."""
    body = ("Можно ли подписать обращение анонимно? Я работаю в школе.\n"
            "Страна — Узбекистан, если это важно.\n\nСпасибо,\nТимур")
    assert kind_of(body) is Kind.question


@pytest.mark.parametrize("body", [
    "¿Dónde puedo ver la lista de firmantes? Mi profesora me dijo que firmó pero no la encuentro.",
    "Безопасно ли подписывать? Хочу подписать, но сначала хотелось бы понять риски.",
    # a wish to sign beside a question is still the question
    "Ciao, posso firmare anche se ho 16 anni? Vorrei firmare insieme alla mia classe.\n\nMatteo",
])
def test_a_question_about_signing_is_not_a_signature(body):
    """Someone else signed ("que firmó", folded to "firmo"), or the writer will sign "but first" asks."""
    assert kind_of(body) is Kind.question


def test_a_delivery_report_with_a_broken_block_is_still_a_bounce():
    """Found by bench/fuzz_parse.py (a mutated bounce from the real corpus): a delivery-status block
    whose text could not be flattened made the whole mail unreadable, set aside instead of read."""
    raw = (FIXTURES / "fuzzed-delivery-report-broken-block.eml").read_bytes()
    reply = read_reply(raw, RULES)
    assert not any("could not be parsed" in r for r in reply.reasons), reply.reasons
    assert reply.kind is Kind.bounce


@pytest.mark.parametrize("body", [
    "Sehr geehrte Damen und Herren,\n\nhiermit schließe ich mich dem Offenen Brief an.\n\nSabine Krüger",
    "Wir (Anna und Peter Lindqvist, beide Rentner aus Flensburg) unterschreiben\ngerne!",
    "My husband and I would both like to sign. We are Linda and Robert Kessler, Portland, USA.",
    "Salut,\nje soutiens totalement. Karim Benali, étudiant en médecine, marocain.",
    "Je souhaite m'associer à cet appel.\n\nAlain Dubreuil\nUniversité de Liège",
    "Podem contar com a minha assinatura.\n\nDomingos Kiala\nLuanda - Angola",
])
def test_signing_in_other_words_is_a_signature(body):
    assert kind_of(body) is Kind.signature
