"""What people and machines write, in en/fr/es/pt/de/ru/it, as patterns over folded text.

All patterns run on `labels.fold(text)`: lower case, accents removed ("zurückziehen" is
"zuruckziehen", "retirée" is "retiree"). Extend a tuple to teach the bot a new phrasing.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from mailbot.core.labels import fold


def _any(*patterns: str) -> re.Pattern[str]:
    """One pattern of many, written as people write ("публикуйте", "тёплый") and folded the way
    the text is (й -> и, ё -> е, accents off), so a pattern can never miss for its own letters."""
    text = "|".join(f"(?:{p})" for p in patterns)
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return re.compile(text, re.I)


SIGN_INTENT = _any(
    r"\bi (?:hereby |also |gladly |will |would like to |want to |wish to )?(?:co-?)?sign\b",
    r"\b(?:happy|glad|proud|pleased) to (?:co-?)?sign\b", r"\bi(?:'m| am) signing\b",
    r"\b(?:please )?add (?:my|our) (?:name|signature)s?\b", r"\bsign me\b", r"\bcount me in\b",
    r"\b(?:i|we) (?:hereby )?endorse\b", r"\bwe (?:hereby |also |both |all )?(?:co-?)?sign\b",
    r"\bwir unterschreiben\b", r"подписываем", r"\bfirmiamo\b", r"\bmy signature\s*:",
    r"\bi (?:fully |wholeheartedly )?support (?:this|the|your) (?:appeal|letter|call|statement|petition"
    r"|campaign|initiative)\b", r"\b(?:i'?m|i am) in\s*(?:[.!]|$)", r"\bi'?d like to sign\b",
    r"\bje soutiens\b.{0,25}\bappel\b", r"\bje veux signer\b",
    r"\b(?:apoyo|respaldo)\b.{0,25}\b(?:llamamiento|carta|peticion|convocatoria)",
    r"\bapoio\b.{0,25}\b(?:apelo|carta|peticao)", r"\bcontem comigo\b", r"\bcuenten conmigo\b",
    r"\b(?:ich )?unterstutze\b.{0,25}\b(?:aufruf|appell|brief)", r"\bunterstutze ich\b",
    r"\bich bin dabei\b", r"\bich mochte unterschreiben\b",
    r"поддерживаю\b.{0,25}(?:обращени|призыв|письм|заявлени)", r"хочу подписать",
    r"\bvoglio firmare\b", r"\b(?:appoggio|sostengo)\b.{0,25}\bappello\b",
    r"(?:^|[.!]\s*)ci sono\s*!", r"\bcontate su di me\b",
    r"(?:^|[.!]\s*)signing\b", r"\bput me down\b", r"^(?:signed|signe|firmado|firmada|assinado|assinada"
    r"|unterzeichnet|unterschrieben|подписано|подписал|подписала|firmato|firmata)\s*[.!]?$",
    r"\badhiero\b", r"\bbin dabei\b", r"\bplease add me\b", r"\badd me to the list\b",
    r"\b(?:aggiungete|inserite|mettete)\b.{0,10}\b(?:la mia firma|il mio nome)\b",
    r"\b(?:nehmt|nehmen sie) mich\b.{0,20}\bliste\b", r"\bsetz\w* sie meinen namen\b",
    r"\bsetzt meinen namen\b", r"\b(?:pueden|puede|podeis) poner mi nombre\b", r"\bpongan mi nombre\b",
    r"\bpodem (?:contar comigo|colocar o meu nome|por o meu nome|incluir o meu nome)\b",
    r"^поддерживаю\b", r"\bподдерживаю ваш\w*\b", r"\bsouhaite signer\b", r"\bunterstutze euren\b",
    r"\bje signe\b", r"\bcomptez sur moi\b", r"\b(?:soutien total|tout mon soutien|plein soutien)\b",
    r"\bik teken\b", r"\bpodpisuj\w*\b", r"\bimzaliyorum\b|\bimzalıyorum\b", r"\bυπογραφω\b",
    r"(?:^|[.!]\s*|\bjo )signo\b",  # Catalan "(jo) signo"; Spanish "signo" is a symbol
    r"\bje (?:la |le )?sign", r"\bj'ajoute mon nom\b", r"\bajoute[zr]? mon nom\b", r"\bje m'associe\b",
    r"\bnous signons\b", r"\bje souhaite signer\b",
    r"(?<!que )\bfirmo\b",  # not "me dijo que firmó": folded, it is "firmo"
    r"\bquiero firmar\b", r"\b(?:anadan|agreguen|anadid|incluyan) mi (?:nombre|firma)\b",
    r"\bme (?:sumo|adhiero)\b", r"\bsuscribo\b", r"\bfirmamos\b",
    r"\bassino\b", r"\bquero assinar\b", r"\b(?:adicionem|acrescentem|incluam) (?:o )?meu nome\b",
    r"\bsubscrevo\b", r"\bassinamos\b",
    r"\bunterschreibe\b", r"\bunterzeichne\b", r"\bunterschreiben wir\b",
    r"\b(?:fugt|fugen sie) meinen namen\b",
    r"подписыва", r"подпишусь", r"добавьте (?:мое|моё) имя", r"присоединяюсь",
    r"\bsottoscrivo\b", r"\baderisco\b", r"\baggiung\w* il mio nome\b",
    # asking to be added, in the words of each language: "add/include/put" + "me/my name/signature"
    r"\b(?:add|include|put|list)\b.{0,12}\b(?:me|my name|my signature|our names?)\b"
    r"(?! to (?:your|the) mailing)",
    r"\bi (?:fully |totally |wholeheartedly |strongly )?support (?:this|it|you|the cause)\b",
    r"\bsign me up\b",
    r"\b(?:ajout|inscriv|inclu|mett)\w*[- ](?:moi|mon nom|ma signature)\b", r"\bje me joins\b",
    r"\bje m'y associe\b", r"\bj'appuie\b.{0,25}\bappel\b",
    r"\b(?:sum|agreg|anad|inclu|pong|anot|apunt)\w*\b.{0,6}\b(?:mi nombre|mi firma)\b",
    r"\b(?:sumen|agreguen|anadan|incluyan|pongan|anoten|apunten)me\b", r"\bme uno\b",
    r"\b(?:adicion|acrescent|inclu|coloqu|ponh|bot)\w*\b.{0,6}\b(?:o meu nome|meu nome|a minha assinatura"
    r"|minha assinatura)\b", r"\bassino embaixo\b", r"\beu apoio\b",
    r"\b(?:nehmen sie|nehmt|setzen sie|setzt|fugen sie|fugt|tragen sie|tragt)\b.{0,20}"
    r"\b(?:meinen namen|mich|meine unterschrift|uns|unsere namen)\b",
    r"\b(?:mochte|will|werde)\b.{0,30}\b(?:unterschreiben|unterzeichnen)\b",
    r"(?:добавьте|включите|внесите|поставьте|запишите)\b.{0,15}(?:мо[юйе]|меня)",
    r"(?:прошу|просим)\s+(?:добавить|включить|внести|учесть)",
    r"(?:додайте|включіть|внесіть)\b.{0,15}(?:мій|мене)",
    r"\bпідписую", r"\bmi unisco\b", r"\b(?:aggiungete|inserite|mettete|includete)mi\b",
    r"\b(?:aggiungete|inserite|mettete|includete)\b.{0,12}\b(?:mia firma|mio nome|anche me)\b",
    r"\banch'?io firmo\b",
    r"^(?:signe|signed|firmado|firmada|assinado|assinada|firmato|firmata|unterschrieben)\s*:\s*\S",
    r"\b(?:apoio|apoyo|soutiens|support|unterstutze|sostengo|appoggio|поддерживаю)\s+(?:integralmente"
    r"|totalmente|pienamente|voll|fully|entierement|completamente|полностью)\b",
    r"\bschliesse mich\b.{0,30}\ban\b", r"\bmeinen namen\b.{0,20}\bhinzufug", r"\bmi associo\b",
    r"\bme associo\b", r"\bme adhiero\b", r"\bje m'associe\b", r"\bje me joins\b",
    r"подпишите (?:и )?меня", r"\bсолидарн\w* с вами\b", r"(?:^|[.!]\s*)(?:полностью|целиком) поддерживаю\b",
    r"\b(?:toute ma|ma pleine|mi total|mi plena|toda a minha|minha total|tutta la mia|meine volle|my full"
    r"|full|total|totale) solidari",
    r"\bsolidari\w* (?:with you|avec vous|con ustedes|con vosotros|com voces|con voi|mit euch|mit ihnen)\b",
    r"(?:^|[.!]\s*)(?:signed|firmado|firmada|assinado|assinada|signe|unterschrieben|firmato|firmata"
    r"|подписано)\s*[.!]",
    # wishing to sign, in the words of each language: "vorrei firmare", "pode colocar meu nome"
    r"\b(?:vorrei|vogliamo|vorremmo|desidero|desideriamo) firmare\b",
    r"\b(?:queremos|quisiera|quisieramos|deseo|deseamos|me gustaria|nos gustaria) firmar\b",
    r"\b(?:gostaria de|gostariamos de|queremos|desejo) assinar\b", r"\bcuenten? con (?:mi firma|nosotros)\b",
    r"^(?:signed|firmado|firmada|assinado|assinada|signe|unterschrieben|firmato|firmata|подписано)\s+"
    r"(?:from|in|desde|de|da|aus|из)\b",
    r"\bcoloc\w*\b.{0,6}\b(?:o meu nome|meu nome|a minha assinatura|minha assinatura)\b",
    r"\b(?:je voudrais|nous voulons|nous voudrions|nous souhaitons) signer\b",
    r"\bwe (?:want|would like|wish) to (?:co-?)?sign\b",
    r"\b(?:wir )?(?:mochten|wollen) (?:\w+ )?(?:unterschreiben|unterzeichnen)\b",
    r"\bхотим (?:тоже )?подписать\b",
    r"\bschliess\w* (?:ich )?mich\b.{0,40}\ban\b", r"\bunterschreiben (?:wir )?(?:gerne?|beide|alle)\b",
    r"\b(?:would|'d) (?:both |all )?(?:like|love) to (?:co-?)?sign\b",
    r"\bm'associer\b.{0,25}\b(?:appel|lettre|petition|initiative)", r"\bsouhait\w* m'associer\b",
    r"\bcont(?:ar|em|am|ai|ad) con?m? (?:a )?(?:minha|mi) (?:assinatura|firma)\b",
    r"\b(?:soutiens|sostengo|apoyo|apoio|unterstutze|support)\s+(?:totalement|pleinement|completement"
    r"|pienamente|totalmente|plenamente|vollkommen|ganz|completely|wholeheartedly)\b",
)

WITHDRAWAL = _any(
    r"\b(?:remove|delete|withdraw|retract|take (?:off|down|out)|cancel|erase|strike)\b.{0,40}"
    r"\b(?:my|our)\b.{0,20}\b(?:signature|name|endorsement|support)",
    r"\b(?:remove|take) (?:me|us) (?:off|from)\b", r"\bun-?sign\b",
    r"\btake (?:my|our) (?:name|signature)s? (?:off|out|down|away)\b",
    r"\b(?:no longer|don't|do not) (?:wish|want) to (?:be listed|be on|sign|appear|remain|be part)",
    r"\b(?:retir|supprim|enlev|effac|ot|annul)\w*\b.{0,30}\b(?:ma|mon|notre)\b.{0,15}\b(?:signature|nom)\b",
    r"\bretirez[- ]moi\b", r"\bne (?:souhaite|veux) plus (?:figurer|apparaitre|signer|etre)",
    r"\b(?:retir(?!ad[oa]s?\b)|quit|elimin|borr|suprim|anul|sac)\w*\b.{0,30}\b(?:mi|nuestra|nuestro)\b.{0,15}"
    r"\b(?:firma|nombre|adhesion)",
    r"\bya no (?:quiero|deseo) (?:figurar|firmar|aparecer)",
    r"\bretiro (?:la|mi) (?:firma|adhesion)\b", r"\bno publiquen mi nombre\b",
    r"\bno quiero que (?:aparezca|figure|se publique) mi (?:nombre|firma)\b",
    r"\b(?:minha|a minha) assinatura (?:seja |fosse )?(?:retirada|removida|apagada|excluida)\b",
    r"\bnao quero que (?:o meu|meu) nome (?:apareca|seja publicado)\b",
    r"\bje ne veux plus que mon nom\b", r"\bich mochte nicht mehr\b.{0,30}\b(?:stehen|erscheinen)\b",
    r"\bnon voglio che (?:il mio nome|la mia firma) (?:appaia|compaia)\b",
    r"\bi (?:no longer )?(?:want|wish) my (?:name|signature) (?:removed|taken off|withdrawn)\b",
    r"\bne publiez pas mon nom\b", r"\bnao publiquem o meu nome\b", r"\bnon pubblicate il mio nome\b",
    r"\bveroffentlichen sie meinen namen nicht\b", r"\bdo not publish my name\b",
    r"\bdon't publish my name\b", r"не публикуйте мо\w* (?:имя|фамилию|подпись)",
    r"\b(?:retir(?!ad[oa]s?\b)|remov|exclu|apag|cancel|tir)\w*\b.{0,30}\b(?:minha|meu|nossa|nosso)\b.{0,15}"
    r"\b(?:assinatura|nome|adesao)",
    r"\bnao (?:quero|desejo) mais (?:figurar|assinar|aparecer)",
    r"\b(?:unterschrift|unterzeichnung|namen?)\b.{0,40}\b(?:zuruckziehen|zuruckzuziehen|zuruck|entfernen"
    r"|loschen|streichen|widerrufen)",
    r"\b(?:ziehe|entfernen sie|loschen sie|streichen sie)\b.{0,40}\b(?:unterschrift|namen)",
    r"(?:отзыва|отозва|удали|убери|убрать|удалить|снимите|снять|вычеркн|исключит)\w*.{0,30}"
    r"(?:подпис|имя|фамили)",
    r"\b(?:ritir|rimuov|togli|cancell|elimin)\w*\b.{0,30}\b(?:la mia|il mio|mia|mio)\b.{0,15}"
    r"\b(?:firma|nome|adesione)",
    r"\bnon (?:voglio|desidero) piu (?:figurare|firmare|apparire|comparire|essere tra)",
    r"\b(?:usun|wycofu|skresl)\w*\b.{0,30}\b(?:moj|moje|moja|swoj)\w*\b.{0,15}\b(?:podpis|nazwisk)",
    r"imza\w*.{0,25}(?:geri cek|sil|kaldir|kaldır)", r"(?:αφαιρ|διαγραψ|αποσυρ)\w*.{0,30}υπογραφ",
    r"\b(?:retir|elimin|esborr|tre)\w*\b.{0,30}\b(?:la meva|el meu)\b.{0,15}\b(?:signatura|nom)",
    r"\bverwijder\w*\b.{0,40}\b(?:mijn|onze) (?:naam|handtekening)",
    r"\b(?:mijn|onze) (?:naam|handtekening)\b.{0,40}\bverwijder", r"\btrek\b.{0,20}\bhandtekening in\b",
    # a wish that the name not be shown (a wish, not "my name does not appear": that is a question)
    r"\b(?:rather|pref(?:i?e|i)r\w*|better|wiser|would like|want|wish)\b.{0,60}\bmy name\b.{0,25}"
    r"\b(?:not|n't|never)"
    r"\b.{0,10}\b(?:appear|be (?:listed|published|shown|included|on|there))",
    r"\b(?:pref(?:i?e|i)r\w*|souhait\w*|voudrais|aimerais|mieux)\b.{0,40}\bque mon nom ne\b.{0,10}"
    r"\b(?:figure|apparaisse|soit)",
    r"\bque no (?:aparezca|figure|salga|se publique) mi (?:nombre|firma)\b",
    r"\b(?:pref(?:i?e|i)r\w*|gustaria|quisiera)\b.{0,40}\bmi nombre no (?:aparezca|figure|salga|se publique)",
    r"\bque (?:o )?(?:meu|minha) (?:nome|assinatura) nao (?:constasse|conste|aparecesse|apareca|figurasse"
    r"|figure|fosse publicad|seja publicad)",
    r"\bche il mio nome non (?:comparisse|compaia|apparisse|appaia|figurasse|figuri|venisse pubblicato"
    r"|sia pubblicato)",
    r"\b(?:mochte|lieber|besser)\b.{0,40}\bnicht\b.{0,30}\b(?:auf der liste|veroffentlicht|erscheinen)",
    r"(?:имя|фамилию|подпись)\b.{0,10}\bне (?:публиковать|указывать|ставить|публикуйте)",
    r"(?:убери|удали|исключи|вычеркни)\w*\s+меня\b.{0,30}\bиз списк",
    r"(?:видали|прибер|вилуч|відклик|зніміть)\w*.{0,30}(?:підпис|ім'я|прізвищ)",
    # asked in the subjunctive or the infinitive: "ask that my name not appear", "que no incluyeran
    # mi nombre", "meinen Namen nicht zu veröffentlichen" (never the indicative "does not appear")
    r"\bmy name not (?:appear|be (?:published|listed|included|shown|made public))\b",
    r"\b(?:not|n't) (?:to )?(?:include|publish|list|print|show) my name\b", r"\b(?:leave|keep) my name off\b",
    r"\bque no (?:incluyan|incluyeran|publiquen|publicaran|aparezca|apareciera|figure|figurara|pongan"
    r"|pusieran) mi (?:nombre|firma)\b", r"\bno (?:incluir|publicar|poner) mi nombre\b",
    r"\bque (?:ele|ela|o meu nome|meu nome|a minha assinatura) nao seja (?:divulgad|publicad|incluid)",
    r"\bnao (?:divulguem|publiquem|incluam|coloquem) (?:o )?meu nome\b",
    r"чтобы\s+мое\s+имя\b.{0,20}\bне\s+(?:фигур|публик|появ|указ|включ)",
    r"\bque mon nom n'(?:apparaisse|figure|soit)\b", r"\bne pas (?:publier|faire figurer|inclure) mon nom\b",
    r"\bmeinen namen nicht\b.{0,20}\b(?:veroffentlich|auffuhr|aufzufuhr|aufnehm|aufzunehm|zu nennen|nennen)",
    r"\bdi non (?:pubblicare|includere|inserire|riportare) il mio nome\b",
    r"\bche il mio nome non (?:venga|sia) (?:pubblicato|inserito|incluso|riportato)\b",
    r"\btake (?:it|me|my name|my signature) off (?:the|your) list\b",
    r"\b(?:keep\w*|leav\w*)\s+(?:my name|my signature|me)\s+(?:off|out of)\b",
    r"\bkeep\w* (?:my name|my signature|it|me) (?:private|hidden|anonymous|confidential|off the list)\b",
    r"\bnot (?:comfortable|happy|at ease)\b.{0,25}\b(?:my name|my signature)\b.{0,20}"
    r"\b(?:published|public|listed|shown|appear\w*|printed)\b",
    # not to appear under one's name: "non me la sento di comparire con nome e cognome"
    r"\bnon me la sento di (?:comparire|apparire|figurare|firmare|esserci)",
    r"(?:\b(?:not|non|no|nao|ne|nicht)\b|n't\b).{0,30}\b(?:appear|comparire|apparire|aparecer|figurar"
    r"|figurer|apparaitre|erscheinen|stehen)\w*\s+(?:with|con|com|avec|mit|under|sotto|bajo|sous)\s+"
    r"(?:my |il mio |mi |meu |o meu |mon |meinem )?(?:full |real )?(?:name|nome|nombre|nom|namen)",
    r"\b(?:lieber|besser)\s+nicht\b.{0,10}\bdass\s+(?:mein|meine)\b.{0,40}"
    r"\b(?:erschein|steh|veroffentlich|genannt|auftauch)",
    r"не\s+(?:хотел\w*|хочу|хотим)\b.{0,20}чтобы\s+мо[яеёй]\s+(?:имя|фамилия|подпись)\b.{0,30}"
    r"(?:фигур|публик|появ|указ|включ|значил|стоял)",
    r"\bno longer (?:comfortable|happy|able|willing)\b.{0,40}\b(?:my name|my signature|signing)",
    r"\bnicht (?:mehr )?(?:offentlich )?genannt werden\b",
    r"\b(?:eintrag|unterschrift|namen)\b.{0,30}\b(?:herausnehmen|rausnehmen|entfernen|zuruckziehen)",
    r"\bdesconsider\w*\b.{0,20}\b(?:minha assinatura|meu nome|a assinatura)",
    r"\b(?:melhor|prefiro|preferia) nao aparecer\b",
    r"\b(?:mejor|prefiero|preferiria) no aparecer\b", r"\bpreferirei non (?:apparire|comparire|figurare)\b",
    r"\bje (?:prefere|prefererais) ne pas (?:apparaitre|figurer)\b",
    r"\bwiderruf\w*\b.{0,30}\b(?:unterschrift|unterzeichnung|zustimmung)",
    r"\bmeinen namen\b.{0,20}\bnicht\b.{0,20}\b(?:veroffentlich|nennen|auffuhr|aufnehm|aufzunehm)",
    r"(?:мое|моё) имя\b.{0,10}\bне (?:появится|появлялось|публиковалось|публиковали|публиковать|фигурировало"
    r"|указывали|указывать|включали|включать|ставили)",
    r"\bnao (?:ter|ver) (?:o )?meu nome (?:publicado|divulgado|na lista)",
    r"\bdesconsider\w*\b.{0,25}\b(?:mensagem|e-?mail|assinatura|adesao)",
    r"\bno (?:publiquen|publicaran|publicasen|incluyan|incluyeran|pongan|pusieran) mi (?:nombre|firma)\b",
    r"\brevoke\b.{0,20}\bmy (?:signature|name)",
    r"\bне (?:публиковать|указывать|включать|ставить) (?:мое|моё|мою) (?:имя|фамилию|подпись)",
    r"\b(?:me dejen|dejenme) (?:afuera|fuera)\b", r"\bmejor no (?:figure|aparezca|figurar|aparecer)\b",
    r"\bmy name (?:could|can|would|should|might) be (?:left off|removed|taken off|withdrawn|omitted)\b",
    r"\bnao (?:posso|poderei|consigo) (?:mais )?manter (?:a )?minha assinatura",
    r"\b(?:can|could) no longer (?:keep|maintain) my (?:signature|name)", r"лучше не участвовать",
    r"\bne (?:peux|pourrai) plus maintenir ma signature",
    r"\bmi nombre no se (?:publique|publicara|publicase|incluya|incluyera|muestre|mostrara)\b",
    r"\b(?:veroffentlichung|nennung)\b.{0,25}\b(?:namens|unterschrift)\b.{0,25}"
    r"\b(?:absehen|abzusehen|verzichten)",
    r"\bpref(?:i?e|i)r\w*\b.{0,25}\bne pas (?:apparaitre|figurer"
    r"|etre (?:cite|citee|mentionne|mentionnee|publie|publiee))",
    r"\brather not (?:be |have my name )?(?:listed|named|included|published|on the list|appear)",
    r"\bpref(?:i?e|i)r\w*\b.{0,20}\bno (?:figurar|aparecer|ser (?:nombrad|mencionad|publicad))",
    r"\bpref(?:i?e|i)r\w*\b.{0,20}\bnao (?:constar|figurar|aparecer|ser (?:nomead|mencionad|publicad))",
    r"\bpref(?:i?e|i)r\w*\b.{0,20}\bnon (?:comparire|figurare|apparire"
    r"|essere (?:nominat|menzionat|pubblicat))",
)

# A wish that the name not be shown, in any order of words: "les pido que mi nombre no figure",
# "möchte Sie bitten, meine Unterschrift nicht zu veröffentlichen", "Не публикуйте, пожалуйста, моё
# имя", "I would prefer that my signature not appear". A wish or a request must be in the sentence,
# and no "yet/still" of someone asking why the name is missing.
_OWN_NAME = _any(r"\bmy (?:name|signature)\b", r"\bmi (?:nombre|firma)\b", r"\b(?:a )?minha assinatura\b",
                 r"\b(?:o )?meu nome\b", r"\bmon nom\b", r"\bma signature\b",
                 r"\bmeine?n? (?:namen?|unterschrift)\b",
                 r"\b(?:il mio nome|la mia firma)\b",
                 r"(?:мое|мою|моё|моя|моей|моего) (?:имя|имени|подпись|подписи|фамилию|фамилия|фамилии)",
                 r"(?:мій|моє|мого) (?:підпис|ім'я|прізвище)")
_NOT_SHOWN = _any(r"(?:\b(?:not|no|nao|ne|nicht|non|не)\b|n't\b).{0,40}"
                  r"\b(?:appear|publish|print|list|includ|show|figur|aparec|aparez|publiq|publica|publicad|constar|constass|divulg|apparai|apparaisse|cite"
                  r"|veroffentlich|erschein|nenn|auffuhr|compar|pubblic|inser|публик|фигур|появ|указ|включ"
                  r"|berucksichtig|aufrecht|keep|maintain|manter|mantener|maintenir|mantenere|сохран|значит)",
                  r"\b(?:left off|omitted|withheld|removed|taken off)\b")
_WISH = _any(r"\b(?:pref(?:i?e|i)r\w*|rather|would|ask|request|please|kindly|gostaria|peco|pedir|pido|pedimos"
             r"|agradec\w*|quisiera|bitte|bitten|mochte|wurde|vorrei|chied\w*|preg\w*|souhait\w*|voudrais"
             r"|merci de|veuillez|wish|want|por favor|per favore|s'il vous plait|svp|pls)\b",
             r"прошу|пожалуйста|просьба|хотел|лучше|просим|прошу вас|признател|было бы|был бы|если бы",
             r"\b(?:prudent|wiser|safer|better|mieux|preferable|sage|mejor|melhor|besser|lieber|meglio|prudente"
             r"|prudente)\b")
_PLEASE = _any(r"\b(?:please|por favor|s'il vous plait|bitte|per favore|por gentileza)\b", r"пожалуйста",
               r"[^\w\s]")
_STILL_MISSING = _any(r"\b(?:yet|still|ainda|todavia|todavía|encore|noch|ancora)\b", r"(?:еще|ещё|пока) не")


def sentences(text: str) -> list[str]:
    """The sentences of a text whose lines may be hard-wrapped: lines of a paragraph are joined
    ("prefiero que mi" / "nombre no aparezca"), a blank line or a line ending a sentence ends one."""
    text = re.sub(r"(?<![\n.!?;:])\n(?!\n)", " ", text)
    return [s for s in re.split(r"(?<=[.!?;])\s+|\n", text) if s.strip()]


def wants_name_withheld(text: str) -> bool:
    """A sentence asking that the writer's own name or signature not be published."""
    for sentence in sentences(text):
        if not _WISH.search(sentence) or _STILL_MISSING.search(sentence) and "?" in sentence:
            continue
        # the name, then its "not shown" close after ("que mi nombre no figure"), or the "not shown"
        # right before it ("не публикуйте моё имя"): "don't list my title, just my name" is neither
        for name in _OWN_NAME.finditer(sentence):
            for shown in _NOT_SHOWN.finditer(sentence):
                if 0 <= shown.start() - name.end() <= 30:
                    return True
                if name.start() < shown.end():
                    continue
                gap = re.sub(r"^\w*", "", sentence[shown.end():name.start()])  # the verb's ending
                if len(_PLEASE.sub(" ", gap).split()) <= 1:  # "не публикуйте, пожалуйста, моё имя"
                    return True
    return False


# Asking to be taken off the list, in any word order: a removing verb, then the writer ("me",
# "bórrenme", "toglietemi", "mich", "меня") with the list or the letter named, or the writer's own
# signature, name, support or entry; or "not include me". Not a report ("you removed my name by
# mistake", "why was my name removed?"), not "please don't remove my name".
_REMOVE = _any(r"\b(?:remov|delet|withdraw|retract|strik|eras|cancel|drop|pull\w* out|unsubscrib"
               r"|take\w* (?:me |my \w+ )?off|take\w* (?:me |my \w+ )?out|cross\w* (?:me |my \w+ )?off)",
               r"\b(?:retir(?!ed\b|ement|ee|ad[oa]s?\b|e\b)|enlev|supprim|effac|ray|desist|ot(?:er|ez)|desinscri)",
               r"\b(?:borr|elimin|quit|saqu|sac(?:ar|ad|en)|anul|dar de baja|den de baja|desvincul)",
               r"\b(?:tir(?:ar|em|e|ou)|remov|exclu|apag|cancel|desist)",
               r"\b(?:streich|entfern|losch|zuruckzieh|zuruckzuzieh|ziehe\b|(?:he)?rausnehm|(?:he)?rauszunehm"
               r"|(?:nehm\w* sie|nehmt) mich (?:\w+ ){0,3}(?:von|aus|raus|heraus)\b)",
               r"\b(?:ritir|togli|cancell|rimuov|depenn|elimin)",
               r"(?:удал|убер|убра|исключ|вычеркн|отзыв|отозв|сним|снят)")
# the writer as a word ("remove me", "me retirer", "streichen Sie mich") or joined to the verb
# ("bórrenme", "toglietemi", "retirez-moi", "tirem-me")
_STRONG_REMOVE = re.compile(r"(?:he)?raus(?:zu)?nehm|streich|entfern|remov|delet|enlev|retir|borr|togli|удал"
                            r"|вычеркн")
_ME = _any(r"\b(?:me|moi|mich|mi|myself)\b|\bm'", r"\bменя\b")
_CLITIC = re.compile(r"\w*?(?:me|mi|moi)\b|\w*-(?:me|moi|mi)\b")  # matched at the verb's end
_MINE = _any(r"\b(?:my|our|ma|mon|mes|mi|mis|nuestra|minha|meu|a minha|o meu|meine?n?|il mio|la mia|mia|mio"
             r"|la meva|el meu)\b\W*(?:\w+\W+)?(?:name|signature|endorsement|support|entry|nom|signature"
             r"|adhesion|soutien|nombre|firma|apoyo|assinatura|nome|adesao|apoio|namen?|unterschrift"
             r"|unterstutzung|eintrag|zustimmung|adesione|sostegno)\b",
             r"(?:мо[юейё]|сво[юейё])\s+(?:имя|подпись|фамилию|поддержку)", r"\bподпись\b")
# "remove the typo in my name", "take the title off my name": a correction of the name
_OF_NAME = re.compile(r"\b(?:in|of|from|off|on|to|de|du|dans|en|von|im|di|del|nel|dal|do|da|no|na|в|из|от)"
                      r"\s*$")
NAME_EDIT = _any(r"\b(?:in|of|from|off|de|du|dans|von|im|aus|di|nel|dal|do|no|na)\s+(?:my|mon|ma|mi|meu|minha"
                 r"|meinem|meiner|il mio|mio)\s+(?:\w+\s+)?(?:name|surname|nom|nombre|apellido|nome"
                 r"|sobrenome|namen|nachnamen|vornamen|cognome)\b",
                 r"\bв\s+(?:моём|моем|моей)\s+(?:имени|фамилии)")
_THE_LIST = _any(r"\b(?:list|signator|signer|letter|appeal|petition|liste|signatair|lettre|appel|lista"
                 r"|firmante|carta|llamamiento|signatari|apelo|peticao|unterzeichner|aufruf|brief|elenco|firmatari"
                 r"|appello)", r"(?:список|списк|подписавш|обращени|письм)")
_NOT_INCLUDE = _any(r"(?:\b(?:not|no|nao|ne|nicht|non|не)\b|n't\b)\s+(?:\w+\s+)?(?:include|list|includ|inclu"
                    r"|inser|aufnehm|aufzunehm|включа|вносит|указыва)\w*\s+(?:me|moi|mich|me|меня)\b")
# "please don't remove my name": the opposite wish
DONT_REMOVE = _any(r"(?:\b(?:don't|do not|dont|ne|no|nao|nicht|non|не)\b|n't\b)\s+(?:\w+\s+)?"
                   r"(?:remov|delet|retir|enlev|supprim|borr|elimin|quit|tir|apag|streich|entfern|losch|togli"
                   r"|cancell|rimuov|удал|убир|исключ|вычерк)")
_NOT_A_WISH = _any(r"\b(?:by mistake|why|par erreur|pourquoi|por error|por que|warum|irrtumlich|versehentlich"
                   r"|per errore|perche|por engano|porque)\b", r"(?:по ошибке|почему)")


def wants_off_list(text: str) -> bool:
    """A sentence asking that the writer be taken off the list ("Bórrenme de la lista", "Bitte
    streichen Sie mich", "Toglietemi dall'elenco", "Please don't include me after all")."""
    for sentence in sentences(text):
        if _NOT_A_WISH.search(sentence) or DONT_REMOVE.search(sentence) or NAME_EDIT.search(sentence):
            continue
        if sentence.rstrip().endswith("?") and not re.search(
                r"\b(?:can|could|would|will|pourriez|pouvez|podrian|pueden|podem|poderiam|konnen|konnten"
                r"|wurden|potete|potreste)\b|(?:можете|могли бы)", sentence):
            continue  # "did you remove me?" is a question; "could you remove me?" a request
        if _NOT_INCLUDE.search(sentence):
            return True
        for verb in _REMOVE.finditer(sentence):
            after = sentence[verb.start():verb.start() + 70]
            near = sentence[max(0, verb.start() - 12):verb.end() + 14]
            if (mine := _MINE.search(after, 0, 45)) and not _OF_NAME.search(after[:mine.start()]):
                return True
            # "meine Unterstützung zurückziehen": in German the object comes before the verb
            if re.match(r"zuruck|streich|entfern|losch", verb.group(0)) and \
                    _MINE.search(sentence[max(0, verb.start() - 40):verb.start()]):
                return True
            joined = _CLITIC.match(sentence, verb.end())
            if (_ME.search(near) or joined or "desist" in verb.group(0)) and _THE_LIST.search(sentence):
                return True
            # "mich wieder herauszunehmen", "remove me again": the writer, and a verb that can only
            # mean taking off, with no list named
            if (_ME.search(near) or joined) and _STRONG_REMOVE.match(verb.group(0)):
                return True
    return False


CORRECTION = _any(
    r"\balter(?:em|e|ar|ou)\b", r"\b(?:cambiat[oa]|cambiad[oa]|changed|geandert|mudou|mudei)\b", r"изменил",
    r"\bcorrect(?:ion|ed)?\b", r"\bshould (?:read|be|say)\b", r"\binstead of\b",
    r"\b(?:typo|misspel\w*|mis-spel\w*)\b", r"\b(?:change|update|amend|fix|modify)\b.{0,25}\bmy\b",
    r"\bcorrig", r"\brectifi", r"\bau lieu de\b", r"\bmodifier\b.{0,25}\b(?:mon|ma|mes)\b",
    r"\bcorreccion\b", r"\ben (?:lugar|vez) de\b", r"\bcambiar\b.{0,25}\b(?:mi|mis)\b",
    r"\bcorrecao\b", r"\bretific", r"\bem vez de\b", r"\balterar\b.{0,25}\b(?:meu|minha)\b",
    r"\bkorrektur\b", r"\bkorrigier", r"\bberichtig", r"\b(?:anstatt|statt)\b",
    r"\bandern sie\b", r"исправ", r"поправ", r"\bвместо\b", r"опечатк",
    r"\bcorrezione\b", r"\bcorregg", r"\brettific", r"\binvece di\b",
)

SIGN_OFF = re.compile(  # closing words that are not a name or a value
    r"^(in solidarity|solidarity|solidarité|salutations|cordialement|amitiés|best|regards|"
    r"kind regards|thanks|thank you|merci|saludos|un abrazo|abrazos|gracias|abraços|obrigad|"
    r"atenciosamente|grüße|gruß|grüsse|gruss|freundliche|mit freundlichen|danke|с уважением|спасибо|saluti"
    r"|avec mes (?:meilleures |sinceres |sincères )?salutations|bien cordialement|sincères salutations"
    r"|cordiali|grazie|"
    r"un saluto|cheers|yours|viele grüße|liebe grüße|herzliche grüße|beste grüße|solidarische grüße"
    r"|atentamente|cordialmente|distinti saluti|bien à vous|bien à toi|всего доброго|всего хорошего"
    r"|best wishes|warm regards|warmly|regards|sincerely|solidairement|fraternellement|solidariamente"
    r"|saludos solidarios|un saludo|solidarisch|с солидарным приветом|in solidarieta|fraternamente"
    r"|mit (?:\w+ )?gr(?:ü|ue)(?:ß|ss)en|un abbraccio|abbracci|bisous|bises|beijos|besos|saudações"
    r"|обнимаю|всего наилучшего|с наилучшими пожеланиями|liebi grüess|liebe grüsse|meilleures salutations"
    r"|meilleurs sentiments|salutations distinguées|bien amicalement|amicalement|cordiales saludos"
    r"|saludos cordiales|um abraço|com os melhores cumprimentos|melhores cumprimentos|cumprimentos"
    r"|cordiali saluti|saluti cordiali|un caro saluto|mit besten grüßen|freundliche grüße|hochachtungsvoll"
    r"|с наилучшими|с уважением и|yours sincerely|yours faithfully|best regards|many thanks)\b",
    re.I,
)

NAME_INTRO = re.compile(
    r"^(?:(?:you can )?(?:put me down|add me|list me) as|my name is|i am|i'm"
    r"|je m'appelle|je suis|me llamo|mi nombre es|soy|meu nome e|o meu nome e"
    r"|chamo-me|eu sou|sou|ich heisse|mein name ist|ich bin|меня зовут|зовут меня|я|mi chiamo"
    r"|il mio nome e|sono)\s+",
    re.I,
)

# "Before I sign, ...", "bevor ich unterschreibe": a signing word that is not (yet) a signature
# "Vorrei firmare", "I'd like to sign", "quisiera firmar": a wish to sign, not yet a signature when the
# reply also asks something ("posso firmare anche se ho 16 anni? Vorrei firmare con la mia classe")
WISH_TO_SIGN = _any(r"\b(?:vorrei|vorremmo|voglio|would like|i'd like|want to|wish to|quisiera|quisieramos"
                    r"|quiero|queremos|gostaria|gostariamos|quero|queria|mochte|mochten|je voudrais|je veux"
                    r"|nous voudrions|souhaite|souhaiterais)\b", r"(?:хочу|хотел|хотела|хотим|хотели)")

# "vorrei firmare ma prima volevo sapere se ...": wanting to sign, once something is answered
BUT_FIRST = _any(r"\b(?:but first|but before|mais d'abord|mais avant|pero primero|pero antes|mas primeiro"
                 r"|mas antes|aber zuerst|aber vorher|ma prima|pero prima)\b", r"\bно (?:сначала|прежде)")

CONDITIONAL = _any(r"\b(?:before|if|once|when|but first)\b", r"\b(?:avant de|avant que|si|mais d'abord)\b",
                   r"\b(?:pero primero|mas primeiro|aber zuerst|ma prima)\b", r"но сначала",
                   r"\b(?:antes de|antes que|si|cuando)\b", r"\b(?:antes de|se|quando)\b",
                   r"\b(?:bevor|wenn|falls|sobald)\b", r"(?:прежде чем|перед тем как|если|когда)",
                   r"\b(?:prima di|se|quando)\b")

# "i filled it below", "voir ci-dessous", "rellené abajo", "Fatto!": the answers are in the quote
ANSWERS_BELOW = _any(r"\b(?:below|filled|fill(?:ed)? in|rempli|ci-dessous|dessous|abajo|debajo|rellen"
                     r"|abaixo|preench|unten|ausgefullt|ниже|заполн|sotto|compilat|done|here you go"
                     r"|voila|fatto|ecco|hecho|listo|aqui esta|feito|pronto|segue|erledigt|fertig"
                     r"|готово|вот)\w*",
                     # "respondi no próprio formulário", "answered in the form", "répondu dans le formulaire"
                     r"\b(?:answered|replied|respondi|contestado|contestada|repondu|risposto|geantwortet)\b.{0,25}"
                     r"\b(?:form|formulario|formulaire|modulo|formular)", r"ответил\w*.{0,20}форм")

# "Could you add my organisation?": a request phrased as a question, not a question to staff
POLITE_REQUEST = _any(
    r"^(?:could|can|would|will) you (?:please |kindly )?(?:add|update|change|correct|fix|include|put"
    r"|list|amend|replace|use)\b",
    r"^(?:pourriez|pouvez)[- ]vous (?:s'il vous plait )?(?:ajouter|modifier|corriger|changer|mettre)",
    r"^(?:podrian|pueden|podrias|puedes) (?:por favor )?(?:agregar|anadir|cambiar|corregir|poner|actualizar)",
    r"^(?:podem|poderiam|pode) (?:por favor )?(?:adicionar|acrescentar|mudar|corrigir|atualizar|colocar)",
    r"^(?:konnen|konnten|wurden) sie (?:bitte )?(?:\w+ ){0,4}(?:hinzufugen|erganzen|andern|korrigieren)",
    r"^(?:можете|могли бы вы|не могли бы вы) (?:пожалуйста )?(?:добавить|изменить|исправить|указать)",
    r"^(?:potete|potreste|puoi) (?:per favore )?(?:aggiungere|cambiare|correggere|modificare|mettere)",
)

QUESTION_WORDS = _any(
    r"^(?:who|what|why|how|when|where|can|could|may|is|are|do|does|will|would|should)\b.*\?",
    r"\?\s*$",
)

AUTO_REPLY_SUBJECT = _any(
    r"^(?:re:\s*|aw:\s*)?(?:out of (?:the )?office|automatic reply|auto[- ]?reply|autoreply"
    r"|auto[- ]?response|away from|on vacation|vacation|holiday|absence|absent"
    r"|reponse automatique|message d'absence|abwesenheit|automatische antwort|abwesend|urlaub"
    r"|respuesta automatica|fuera de la oficina|ausente|ausencia|resposta automatica"
    r"|fora do escritorio|ausencia temporaria|автоматический ответ|автоответ|нет на месте|в отпуске"
    r"|отсутствую|в командировке"
    r"|risposta automatica|fuori sede|fuori ufficio|assente)\b",
)

AUTO_REPLY_BODY = _any(
    r"\b(?:i am|i'm|i will be) (?:currently )?(?:out of (?:the )?office|away|on (?:annual )?leave"
    r"|on vacation|on holiday)\b",
    r"\bje suis (?:actuellement )?(?:absente?|en conge|en vacances)\b",
    r"\b(?:estoy|estare) (?:fuera de la oficina|de vacaciones|ausente)\b",
    r"\b(?:estou|estarei) (?:fora do escritorio|de ferias|ausente)\b",
    r"\bich bin (?:bis|vom|ab|derzeit|zurzeit|nicht im buro|im urlaub|abwesend)",
    r"\bя (?:в отпуске|нахожусь в отпуске|отсутствую|нахожусь в командировке|в командировке)",
    r"\bsono (?:fuori ufficio|in ferie|assente)\b",
)

BOUNCE_SUBJECT = _any(
    r"undeliver", r"undelivered mail", r"delivery (?:status notification|failure|has failed)",
    r"mail delivery (?:failed|failure|subsystem|system)", r"returned mail", r"failure notice",
    r"could not be delivered", r"nondeliverable", r"non-delivery", r"non remis",
    r"echec de (?:la )?(?:remise|distribution)", r"unzustellbar", r"nicht zustellbar",
    r"no se (?:puede|pudo) entregar", r"mensaje no entregado", r"nao (?:foi possivel )?entregue",
    r"недоставлен", r"не доставлен", r"mancato recapito", r"impossibile recapitare",
    r"^delivery status", r"^warning: could not send", r"complaint about message", r"abuse report",
)

BOUNCE_SENDER = re.compile(r"^(?:mailer-daemon|post_?master|mail-daemon|maildaemon|bounce[s]?|"
                           r"mdaemon|mail\.delivery|nobody)\b|^(?:double-)?bounce", re.I)

FORWARD_SUBJECT = re.compile(r"^\s*(?:fwd?|tr|wg|rv|enc|i|fw)\s*:", re.I)

# Asking to stop receiving mail is not withdrawing a signature.
UNSUBSCRIBE = _any(r"\bunsubscribe\b", r"\bmailing[- ]?list", r"\bnewsletter", r"\bdesinscri",
                   r"\bliste de diffusion\b", r"\bdar(?:me|se) de baja\b", r"\blista de (?:correo|distribu)",
                   r"\bdescadastr", r"\blista de e-?mails?\b", r"\babmelden\b", r"\bverteiler",
                   r"рассылк", r"\bотпиш", r"\bdisiscriv", r"\bmailing\b")
SIGNATURE_WORDS = _any(r"\bsign", r"\bappeal\b", r"\bletter\b", r"\bpetition", r"\bappel\b",
                       r"\bfirma", r"\bllamamiento", r"\bassinatura", r"\bapelo\b", r"\bunterschrift",
                       r"\baufruf", r"\bunterzeichn", r"подпис", r"обращени", r"\bappello\b", r"\bsottoscri")

_STOPWORDS = {
    "en": "the and of to i my is in for with please this name",
    "fr": "le la les et de je mon ma est pour avec cet appel merci nom",
    "es": "el la los y de yo mi es para con este firmo gracias nombre",
    "pt": "o a os e de eu meu minha para com este assino obrigado nome",
    "de": "der die das und ich mein ist für mit diesen unterschreibe danke name",
    "ru": "и в я не на с что это мой подписываю имя",
    "it": "il la e di io mio mia è per con questo firmo grazie nome",
}
_STOPSETS = {lang: set(words.split()) for lang, words in _STOPWORDS.items()}


def language_of(text: str) -> str:
    """The supported language whose common words the text uses most, "" when none."""
    words = re.findall(r"\w+", fold(text))[:400]
    votes = Counter({lang: sum(w in stop for w in words) for lang, stop in _STOPSETS.items()})
    best = votes.most_common(1)
    return best[0][0] if best and best[0][1] >= 2 else ""
