"""The words of the demo site: content pages, home page and campaign, in plain French.

Stream values are given in their JSON form ({"type": …, "value": …}); page choosers take
page ids.
"""

from .data import MAIL_DOMAIN, PHONE_PREFIX, TOWN

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

CITY_EMAIL = f"commerces@{MAIL_DOMAIN}"
CITY_PHONE = f"{PHONE_PREFIX} 22 00 00"
CITY_ADDRESS = (
    f"Administration communale de {TOWN}\nService du Commerce\nGrand-Place 1\n7000 {TOWN}"
)
FACEBOOK_URL = "https://www.facebook.com/villedevalbourg"


def french_date(day):
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def heading(text, level="h2"):
    return {"type": "heading", "value": {"text": text, "level": level}}


def paragraph(html):
    return {"type": "paragraph", "value": html}


def faq(question, answer_html):
    return {"type": "faq_item", "value": {"question": question, "answer": answer_html}}


def call_to_action(text, page_id=None, url=""):
    return {"type": "call_to_action", "value": {"text": text, "page": page_id, "url": url}}


HERO_TITLE = f"Les commerces de {TOWN}, à deux pas de chez vous"
HERO_TEXT = (
    f"Boulangers, fleuristes, libraires, fromagers… Commandez chez les commerçants de {TOWN}, "
    "puis passez retirer vos achats en boutique ou faites-vous livrer. Vous payez au "
    "commerçant, sans paiement en ligne."
)


def how_it_works_steps(fee):
    return [
        {
            "type": "step",
            "value": {
                "title": "Retrait en boutique",
                "text": "Choisissez vos produits dans un ou plusieurs commerces, puis passez "
                "les chercher au comptoir, sans frais.",
            },
        },
        {
            "type": "step",
            "value": {
                "title": "Ou livraison à domicile",
                "text": f"Certains commerces livrent chez vous à {TOWN}, pour {fee} (ou leur "
                "propre tarif, indiqué sur leur page).",
            },
        },
        {
            "type": "step",
            "value": {
                "title": "Le commerçant confirme, vous payez sur place",
                "text": "Le commerce confirme votre demande par e-mail. Vous payez en boutique "
                "ou à la livraison : rien n'est payé en ligne.",
            },
        },
    ]


def how_it_works_page(fee, shop_index_id, faq_id):
    return {
        "title": "Comment ça marche",
        "slug": "comment-ca-marche",
        "intro": "Commander chez les commerçants de la ville, en trois étapes, sans créer de "
        "compte et sans payer en ligne.",
        "body": [
            heading("1. Choisissez vos produits"),
            paragraph(
                "<p>Parcourez les commerces par catégorie ou par quartier, ou cherchez un "
                "produit. Ajoutez ce qui vous plaît à votre liste, dans un ou plusieurs "
                "commerces : une seule demande suffit, chaque commerce reçoit la sienne.</p>"
            ),
            heading("2. Retrait en boutique ou livraison"),
            paragraph(
                "<p>Pour chaque commerce, choisissez :</p><ul>"
                "<li><b>le retrait en boutique</b>, gratuit, aux heures d'ouverture ;</li>"
                f"<li><b>la livraison à domicile</b>, si le commerce la propose dans votre "
                f"code postal, pour {fee} ou le tarif du commerce.</li></ul>"
            ),
            heading("3. Le commerçant confirme, vous payez sur place"),
            paragraph(
                "<p>Le commerce reçoit votre demande et vous répond par e-mail : il accepte, "
                "propose un autre produit ou refuse en expliquant pourquoi. Vous payez en "
                "boutique ou à la livraison, comme d'habitude. Aucun paiement en ligne, aucune "
                "carte bancaire à donner.</p>"
            ),
            heading("Vous êtes commerçant ?"),
            paragraph(
                f"<p>L'inscription est gratuite pour les commerces de {TOWN}. Écrivez au "
                f'service du Commerce : <a href="mailto:{CITY_EMAIL}">{CITY_EMAIL}</a>.</p>'
            ),
            call_to_action("Découvrir les commerces", page_id=shop_index_id),
            call_to_action("Lire les questions fréquentes", page_id=faq_id),
        ],
    }


def faq_page(fee, commission):
    return {
        "title": "Questions fréquentes",
        "slug": "questions-frequentes",
        "intro": "Les réponses aux questions que l'on nous pose le plus souvent.",
        "body": [
            faq(
                "Dois-je créer un compte ?",
                "<p>Non. Vous donnez votre nom et un moyen de vous joindre au moment "
                "d'envoyer votre demande, c'est tout.</p>",
            ),
            faq(
                "Comment est-ce que je paie ?",
                "<p>Directement au commerçant, en boutique au moment du retrait ou à la "
                "livraison. Le site ne demande jamais de carte bancaire.</p>",
            ),
            faq(
                "Combien coûte la livraison ?",
                f"<p>{fee} par commerce, sauf si le commerce indique un autre tarif sur sa "
                "page. Le retrait en boutique est toujours gratuit.</p>",
            ),
            faq(
                "Quand ma commande est-elle confirmée ?",
                "<p>Quand le commerçant l'accepte : vous recevez alors un e-mail. Tant qu'il "
                "n'a pas répondu, votre demande est en attente. Vous pouvez suivre son état "
                "avec le lien reçu dans l'e-mail de confirmation.</p>",
            ),
            faq(
                "Puis-je annuler ma demande ?",
                "<p>Oui, en prévenant le commerce par téléphone ou par e-mail, surtout s'il a "
                "déjà préparé votre commande.</p>",
            ),
            faq(
                "Un produit est indiqué « sur commande » : qu'est-ce que cela veut dire ?",
                "<p>Le commerce ne l'a pas en rayon mais peut le commander pour vous. Il vous "
                "indiquera le délai en confirmant votre demande.</p>",
            ),
            faq(
                "Mon commerce préféré n'est pas sur le site. Que faire ?",
                f"<p>Parlez-lui du portail ! L'inscription est gratuite : il suffit d'écrire "
                f'à <a href="mailto:{CITY_EMAIL}">{CITY_EMAIL}</a>.</p>',
            ),
            faq(
                "La ville prend-elle une part des ventes ?",
                f"<p>La ville retient {commission} du montant des produits (hors frais de "
                "livraison) pour financer le portail. Le prix que vous payez est celui "
                "affiché.</p>",
            ),
            faq(
                "Que faites-vous de mes données ?",
                "<p>Elles servent uniquement à transmettre votre demande au commerce choisi. "
                "Tous les détails sont dans la page Vie privée.</p>",
            ),
        ],
    }


def privacy_page():
    return {
        "title": "Vie privée",
        "slug": "vie-privee",
        "intro": "Quelles données nous collectons, pourquoi, et quels sont vos droits.",
        "body": [
            heading("Qui est responsable de vos données ?"),
            paragraph(
                f"<p>La Ville de {TOWN} (Administration communale, Grand-Place 1, 7000 {TOWN}) "
                "est responsable du traitement. Vous pouvez joindre notre délégué à la "
                f'protection des données à <a href="mailto:dpo@{MAIL_DOMAIN}">dpo@{MAIL_DOMAIN}'
                "</a>.</p>"
            ),
            heading("Quelles données et pourquoi ?"),
            paragraph(
                "<p>Quand vous envoyez une demande, nous enregistrons votre nom, votre adresse "
                "e-mail, votre numéro de téléphone et, si vous choisissez la livraison, votre "
                "adresse. Ces données servent uniquement à transmettre votre demande au "
                "commerce que vous avez choisi et à vous tenir informé de son état "
                "(article 6.1.b du RGPD : mesures précontractuelles prises à votre "
                "demande).</p>"
            ),
            heading("Qui les voit ?"),
            paragraph(
                "<p>Seul le commerce concerné par votre demande, et l'équipe du portail pour "
                "résoudre un problème. Vos données ne sont ni vendues ni utilisées pour de la "
                "publicité.</p>"
            ),
            heading("Combien de temps les gardons-nous ?"),
            paragraph(
                "<p>Le temps de traiter votre demande, puis encore 12 mois après sa clôture "
                "(retirée, livrée, refusée ou annulée). Ensuite, votre nom, votre adresse "
                "e-mail, votre numéro de téléphone, votre adresse et votre message sont "
                "anonymisés, ainsi que les e-mails envoyés à propos de la demande. Seuls "
                "restent les montants, les produits, le commerce et les dates, qui servent aux "
                "statistiques anonymes du portail.</p>"
            ),
            heading("Cookies"),
            paragraph(
                "<p>Le site utilise un seul cookie, nécessaire pour garder votre liste de "
                "produits pendant votre visite. Aucun cookie publicitaire ni de mesure "
                "d'audience par un tiers.</p>"
            ),
            heading("Vos droits"),
            paragraph(
                "<p>Vous pouvez demander à consulter, corriger ou effacer vos données, ou vous "
                "opposer à leur traitement, en écrivant au délégué à la protection des données. "
                "Si notre réponse ne vous satisfait pas, vous pouvez introduire une plainte "
                "auprès de l'Autorité de protection des données "
                '(<a href="https://www.autoriteprotectiondonnees.be">'
                "autoriteprotectiondonnees.be</a>).</p>"
            ),
            paragraph(
                "<p>Pour recevoir une copie de toutes vos demandes, ou pour les faire effacer "
                "sans attendre, écrivez-nous à "
                f'<a href="mailto:dpo@{MAIL_DOMAIN}">dpo@{MAIL_DOMAIN}</a> depuis l\'adresse '
                "e-mail que vous avez utilisée pour vos demandes. La Ville vous répond dans "
                "le mois, avec un fichier de vos données ou la confirmation de leur "
                "effacement.</p>"
            ),
        ],
    }


def legal_page():
    return {
        "title": "Mentions légales",
        "slug": "mentions-legales",
        "intro": "Qui édite ce site et qui en est responsable.",
        "body": [
            heading("Éditeur"),
            paragraph(
                f"<p>Ville de {TOWN}, Administration communale<br>Grand-Place 1, 7000 {TOWN}"
                f"<br>Numéro d'entreprise : BE 0207.123.456<br>Téléphone : {CITY_PHONE}<br>"
                f'E-mail : <a href="mailto:{CITY_EMAIL}">{CITY_EMAIL}</a></p>'
            ),
            paragraph(
                "<p>Responsable de la publication : le Collège communal, représenté par "
                "l'échevin du Commerce.</p>"
            ),
            heading("Hébergement"),
            paragraph(
                "<p>Le site est hébergé en Belgique par le prestataire informatique de la "
                "Ville.</p>"
            ),
            heading("Les commerces et leurs produits"),
            paragraph(
                "<p>Chaque commerçant est responsable des informations de sa page : prix, "
                "disponibilité, horaires et photos. La vente se conclut entre vous et le "
                "commerçant ; la Ville n'est pas partie au contrat de vente.</p>"
            ),
            heading("Propriété intellectuelle"),
            paragraph(
                "<p>Les textes et illustrations du site appartiennent à la Ville ou aux "
                "commerçants qui les ont publiés. Merci de demander l'autorisation avant de "
                "les réutiliser.</p>"
            ),
        ],
    }


def accessibility_page(today):
    return {
        "title": "Déclaration d'accessibilité",
        "slug": "accessibilite",
        "intro": f"La Ville de {TOWN} veut que ce site soit utilisable par tout le monde.",
        "body": [
            paragraph(
                f"<p>La Ville de {TOWN} s'engage à rendre son site accessible, conformément à "
                "la directive (UE) 2016/2102 relative à l'accessibilité des sites internet et "
                "des applications mobiles des organismes du secteur public et à sa "
                "transposition en droit belge. Cette déclaration s'applique au portail des "
                f"commerces de {TOWN}.</p>"
            ),
            heading("État de conformité"),
            paragraph(
                "<p>Ce site est <b>partiellement conforme</b> à la norme EN 301 549 et aux "
                "règles WCAG 2.1 de niveau AA, en raison des non-conformités énumérées "
                "ci-dessous.</p>"
            ),
            heading("Contenus non accessibles"),
            paragraph(
                "<ul><li>Certaines photos publiées par les commerçants n'ont pas encore de "
                "texte alternatif qui décrit le produit.</li>"
                "<li>Certains documents PDF joints par les commerces (cartes, menus) ne sont "
                "pas structurés pour les lecteurs d'écran.</li>"
                "<li>La carte des commerces n'est pas utilisable au clavier ; la liste des "
                "commerces, filtrable par quartier, donne les mêmes informations.</li></ul>"
            ),
            heading("Établissement de cette déclaration"),
            paragraph(
                f"<p>Cette déclaration a été établie le {french_date(today)}, sur la base "
                "d'une auto-évaluation réalisée par l'équipe du portail (tests au clavier, "
                "avec un lecteur d'écran et à 200 % de zoom).</p>"
            ),
            heading("Retour d'information et contact"),
            paragraph(
                "<p>Si vous rencontrez un obstacle, ou pour obtenir un contenu sous une autre "
                f'forme, écrivez à <a href="mailto:accessibilite@{MAIL_DOMAIN}">'
                f"accessibilite@{MAIL_DOMAIN}</a> ou appelez le {CITY_PHONE}. Nous répondons "
                "dans un délai de quinze jours ouvrables.</p>"
            ),
            heading("Procédure de mise en œuvre"),
            paragraph(
                "<p>Si vous n'obtenez pas de réponse satisfaisante, vous pouvez vous adresser "
                "au Médiateur de Wallonie et de la Fédération Wallonie-Bruxelles "
                '(<a href="https://www.le-mediateur.be">le-mediateur.be</a>), gratuitement.</p>'
            ),
        ],
    }


CAMPAIGN_TITLE = "Noël dans nos commerces"
CAMPAIGN_SLUG = "noel-dans-nos-commerces"
# Searches for which the city promotes the campaign at the top of the results.
CAMPAIGN_SEARCHES = ["noël", "cadeau", "cadeaux", "sapin"]
CAMPAIGN_PROMOTION = "Idées de cadeaux et commerces ouverts pendant les fêtes."


def campaign_intro(starts_on, ends_on):
    return (
        f"<p>Du {french_date(starts_on)} au {french_date(ends_on)}, les commerçants de {TOWN} "
        "vous proposent leurs idées de cadeaux et de bons produits pour les fêtes. "
        "Commandez en ligne, <b>retirez en boutique</b> ou faites-vous livrer.</p>"
    )
