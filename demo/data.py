"""The demo town of Valbourg: its neighbourhoods, kinds of shop and what they sell.

Plain data, no database access. Everything here is fictional; street names, people and
company numbers are invented (company numbers do pass the Belgian modulo-97 check).
"""

from dataclasses import dataclass
from datetime import time

TOWN = "Valbourg"
PORTAL_NAME = "Commerces de Valbourg"
MAIL_DOMAIN = "valbourg.example"
# The town centre (Grand-Place); shops are spread around their neighbourhood's centre.
CENTRE = (50.4540, 3.9520)
POSTCODES = ("7000", "7011", "7020", "7030")
PHONE_PREFIX = "065"


@dataclass(frozen=True)
class Quarter:
    name: str
    postcode: str
    centre: tuple[float, float]
    streets: tuple[str, ...]
    # "vous accueille …": where the shop is, in a sentence.
    where: str


NEIGHBOURHOODS = (
    Quarter(
        "Centre historique",
        "7000",
        (50.4542, 3.9523),
        ("Grand-Place", "Rue du Beffroi", "Rue des Orfèvres", "Rue de la Halle", "Rue des Clercs"),
        "au cœur du centre historique",
    ),
    Quarter(
        "Quartier de la Gare",
        "7000",
        (50.4530, 3.9420),
        ("Avenue de la Gare", "Rue des Cheminots", "Place Léopold", "Rue du Chemin de Fer"),
        "à deux pas de la gare",
    ),
    Quarter(
        "Saint-Rémy",
        "7011",
        (50.4600, 3.9600),
        ("Rue Saint-Rémy", "Chaussée de Bruxelles", "Rue des Vergers", "Place de l'Église"),
        "dans le quartier de Saint-Rémy",
    ),
    Quarter(
        "Les Tanneurs",
        "7020",
        (50.4480, 3.9580),
        ("Quai des Tanneurs", "Rue du Moulin", "Rue de la Haine", "Rue des Teinturiers"),
        "le long du quai des Tanneurs",
    ),
    Quarter(
        "Bois-l'Abbaye",
        "7030",
        (50.4420, 3.9380),
        ("Avenue du Bois", "Rue de l'Abbaye", "Clos des Érables", "Chemin des Prés"),
        "à Bois-l'Abbaye",
    ),
)

# Weekly hours: (weekdays, ranges); 0 is Monday. A range ending before it starts runs
# past midnight.
HOURS = {
    # Bakeries: early, a lunch break, closed on Monday, Sunday morning.
    "bakery": (
        ((1, 2, 3, 4, 5), ((time(6, 30), time(13)), (time(14), time(19)))),
        ((6,), ((time(7), time(12, 30)),)),
    ),
    "split": (
        ((0,), ((time(14), time(18, 30)),)),
        ((1, 2, 3, 4, 5), ((time(9), time(12, 30)), (time(14), time(18, 30)))),
    ),
    "pharmacy": (
        ((0, 1, 2, 3, 4), ((time(8, 30), time(12, 30)), (time(13, 30), time(18, 30)))),
        ((5,), ((time(9), time(12, 30)),)),
    ),
    "continuous": (
        ((0,), ((time(13), time(18, 30)),)),
        ((1, 2, 3, 4, 5), ((time(10), time(18, 30)),)),
    ),
    "sunday_morning": (
        ((1, 2, 3, 4, 5), ((time(9), time(18, 30)),)),
        ((6,), ((time(9), time(13)),)),
    ),
    "late": (
        ((1, 2, 3), ((time(10), time(19)),)),
        ((4, 5), ((time(10), time(20)),)),
    ),
    "hardware": (
        ((0, 1, 2, 3, 4), ((time(8, 30), time(12)), (time(13), time(18)))),
        ((5,), ((time(8, 30), time(17)),)),
    ),
    # Night shops: every evening, until one in the morning.
    "night": (((0, 1, 2, 3, 4, 5, 6), ((time(18), time(1)),)),),
}

PICKUP_INSTRUCTIONS = (
    "Présentez-vous au comptoir avec la référence de votre demande.",
    "Retrait à la caisse. Votre commande est prête dans les deux heures qui suivent "
    "la confirmation.",
    "Entrée par la porte de droite ; les commandes attendent au comptoir, à votre nom.",
    "Passez au comptoir aux heures d'ouverture ; nous gardons votre commande trois jours.",
)

LEGAL_FORMS = ("SRL", "SRL", "SC", "SA")

# For shops generated in large mode: "Boulangerie du Marché 37".
QUALIFIERS = (
    "du Marché",
    "de la Gare",
    "du Beffroi",
    "Saint-Rémy",
    "des Tanneurs",
    "de l'Abbaye",
    "du Centre",
    "des Remparts",
    "du Parc",
    "de la Place",
)

# Product variants used when a large shop sells more than its kind's catalogue: the name
# suffix ("Baguette tradition – lot de 2") and the price factor.
VARIANTS = (("", "1"), ("lot de 2", "1.9"), ("format cadeau", "1.3"), ("sélection du mois", "1.1"))


@dataclass(frozen=True)
class Item:
    name: str
    price: str
    unit: str
    category: str
    note: str = ""


@dataclass(frozen=True)
class ShopKind:
    slug: str
    name: str
    icon: str
    label: str  # short word drawn on the kind's pictures
    colour: str  # dark enough for white text
    shape: str
    hours: tuple[str, ...]  # patterns of HOURS, given to the kind's shops in turn
    taglines: tuple[str, ...]
    about: str  # first paragraph of a shop's description
    shops: tuple[str, ...]  # hand-written shop names
    prefixes: tuple[str, ...]  # for generated names
    items: tuple[Item, ...]


I = Item  # noqa: E741 - keeps the catalogue tables readable

KINDS = (
    ShopKind(
        slug="boulangerie-patisserie",
        name="Boulangerie-pâtisserie",
        icon="🥖",
        label="Boulangerie",
        colour="#8a4b14",
        shape="circle",
        hours=("bakery",),
        taglines=(
            "Pains au levain et viennoiseries pur beurre, cuits sur place",
            "Le fournil du quartier depuis trois générations",
            "Farines de Wallonie, levain maison, patience",
        ),
        about="Pains au levain, viennoiseries pur beurre et pâtisseries de saison, façonnés "
        "chaque matin dans notre fournil avec des farines de meuniers de la région.",
        shops=(
            "Au Fournil de Valbourg",
            "Boulangerie Lemaire",
            "La Mie Dorée",
            "Le Pain de Saint-Rémy",
        ),
        prefixes=("Boulangerie", "Au Fournil", "La Mie"),
        items=(
            I("Baguette tradition", "1.30", "la pièce", "Pains", "Croûte craquante, mie alvéolée."),
            I(
                "Pain au levain 800 g",
                "4.20",
                "la pièce",
                "Pains",
                "Levain naturel, 24 h de pousse.",
            ),
            I("Pain de campagne", "3.60", "la pièce", "Pains"),
            I("Pain complet aux graines", "3.90", "la pièce", "Pains", "Lin, tournesol, sésame."),
            I("Pain de seigle", "3.40", "la pièce", "Pains"),
            I("Ficelle", "1.00", "la pièce", "Pains"),
            I("Croissant pur beurre", "1.20", "la pièce", "Viennoiseries"),
            I("Pain au chocolat", "1.40", "la pièce", "Viennoiseries"),
            I("Pain aux raisins", "1.60", "la pièce", "Viennoiseries"),
            I("Chausson aux pommes", "1.80", "la pièce", "Viennoiseries"),
            I("Couque au beurre", "1.50", "la pièce", "Viennoiseries"),
            I("Cramique aux raisins", "4.80", "la pièce", "Viennoiseries", "Brioche aux raisins."),
            I("Craquelin", "5.20", "la pièce", "Viennoiseries", "Brioche au sucre perlé."),
            I("Tarte au riz", "2.80", "la part", "Pâtisseries"),
            I("Éclair au café", "2.90", "la pièce", "Pâtisseries"),
            I("Tarte aux fraises (6 parts)", "18.00", "la pièce", "Pâtisseries"),
            I("Brioche tressée", "5.50", "la pièce", "Viennoiseries"),
        ),
    ),
    ShopKind(
        slug="fleuriste",
        name="Fleuriste",
        icon="💐",
        label="Fleuriste",
        colour="#9c2a5b",
        shape="flower",
        hours=("split", "sunday_morning"),
        taglines=(
            "Fleurs de saison et plantes vertes, bouquets sur mesure",
            "Des fleurs cultivées au plus près de chez nous",
            "Bouquets, compositions et conseils de jardinier",
        ),
        about="Bouquets de saison, plantes d'intérieur et compositions pour toutes les "
        "occasions. Nous travaillons autant que possible avec des horticulteurs de la région.",
        shops=("L'Atelier Floral", "La Rose des Tanneurs", "Pétales et Brindilles"),
        prefixes=("Fleurs", "L'Atelier Floral", "Le Jardin"),
        items=(
            I("Bouquet de saison", "25.00", "le bouquet", "Bouquets", "Composé selon l'arrivage."),
            I("Bouquet de roses rouges (12 tiges)", "39.00", "le bouquet", "Bouquets"),
            I("Bouquet champêtre", "29.00", "le bouquet", "Bouquets"),
            I("Tulipes (botte de 10)", "9.50", "la botte", "Bouquets"),
            I("Pivoines (botte de 5)", "17.50", "la botte", "Bouquets"),
            I("Orchidée blanche en pot", "24.90", "la pièce", "Plantes"),
            I("Ficus lyrata", "45.00", "la pièce", "Plantes"),
            I("Monstera deliciosa", "35.00", "la pièce", "Plantes"),
            I("Cactus assortis", "6.50", "la pièce", "Plantes"),
            I("Basilic en pot", "3.90", "la pièce", "Plantes"),
            I("Lavande en pot", "8.90", "la pièce", "Plantes"),
            I("Composition de deuil", "65.00", "la pièce", "Compositions"),
            I("Couronne de l'Avent", "32.00", "la pièce", "Compositions"),
            I("Centre de table fleuri", "38.00", "la pièce", "Compositions"),
            I("Terrarium", "42.00", "la pièce", "Compositions"),
            I("Terreau universel 20 L", "7.50", "le sac", "Plantes"),
        ),
    ),
    ShopKind(
        slug="boucherie-charcuterie",
        name="Boucherie-charcuterie",
        icon="🥩",
        label="Boucherie",
        colour="#8b1e1e",
        shape="diamond",
        hours=("split", "sunday_morning"),
        taglines=(
            "Viandes de nos éleveurs et plats préparés maison",
            "Le goût de la viande bien choisie",
            "Charcuterie artisanale et traiteur",
        ),
        about="Viandes d'éleveurs wallons, maturées et découpées devant vous, charcuteries "
        "maison et plats du jour à emporter.",
        shops=(
            "Boucherie Delvaux",
            "La Maison du Terroir",
            "Boucherie de la Gare",
            "Chez Marcel, boucher-charcutier",
        ),
        prefixes=("Boucherie", "Charcuterie", "Le Comptoir"),
        items=(
            I(
                "Entrecôte de bœuf",
                "32.90",
                "le kg",
                "Viandes",
                "Race Blanc-Bleu, maturée 21 jours.",
            ),
            I("Haché pur bœuf", "16.90", "le kg", "Viandes"),
            I("Filet américain préparé", "19.90", "le kg", "Viandes"),
            I("Côtes de porc", "12.50", "le kg", "Viandes"),
            I("Filet de poulet fermier", "18.90", "le kg", "Viandes"),
            I("Rôti de veau", "29.50", "le kg", "Viandes"),
            I("Gigot d'agneau", "27.90", "le kg", "Viandes"),
            I("Saucisses de campagne", "11.90", "le kg", "Viandes"),
            I("Jambon d'Ardenne", "42.00", "le kg", "Charcuterie"),
            I("Pâté de campagne", "16.50", "le kg", "Charcuterie"),
            I("Saucisson sec", "24.00", "le kg", "Charcuterie"),
            I("Boudin blanc", "15.90", "le kg", "Charcuterie"),
            I("Boulettes sauce tomate", "7.50", "la portion", "Traiteur"),
            I("Carbonnades à la bière", "9.50", "la portion", "Traiteur"),
            I("Vol-au-vent", "8.90", "la portion", "Traiteur"),
            I("Lasagne maison", "7.90", "la portion", "Traiteur"),
            I("Colis barbecue (4 personnes)", "39.00", "le colis", "Viandes"),
        ),
    ),
    ShopKind(
        slug="fromagerie",
        name="Fromagerie",
        icon="🧀",
        label="Fromagerie",
        colour="#7a5c00",
        shape="triangle",
        hours=("sunday_morning", "split"),
        taglines=(
            "Fromages affinés dans nos caves",
            "Fromages fermiers de Belgique et d'ailleurs",
            "Le plateau de fromages, notre spécialité",
        ),
        about="Plus de cent fromages au lait cru, affinés dans notre cave : pâtes dures, "
        "croûtes lavées, chèvres frais et spécialités belges.",
        shops=("La Cave à Fromages", "Le Comptoir des Fromages", "Fromagerie Vandeput"),
        prefixes=("Fromagerie", "La Cave", "Le Comptoir"),
        items=(
            I("Comté 18 mois", "29.90", "le kg", "Fromages"),
            I("Brie de Meaux", "24.50", "le kg", "Fromages"),
            I("Herve AOP", "21.00", "le kg", "Fromages", "Croûte lavée, caractère affirmé."),
            I("Fromage d'abbaye", "19.80", "le kg", "Fromages"),
            I("Fromage à la bière", "22.00", "le kg", "Fromages"),
            I("Chèvre frais", "3.20", "la pièce", "Fromages"),
            I("Roquefort AOP", "32.00", "le kg", "Fromages"),
            I("Camembert au lait cru", "6.90", "la pièce", "Fromages"),
            I("Gouda vieux", "23.50", "le kg", "Fromages"),
            I("Boulette de Romedenne", "5.50", "la pièce", "Fromages"),
            I("Raclette en tranches", "22.90", "le kg", "Fromages"),
            I("Beurre fermier 250 g", "3.90", "la pièce", "Crèmerie"),
            I("Crème fraîche épaisse", "4.20", "le pot", "Crèmerie"),
            I("Œufs de plein air (6)", "2.90", "la boîte", "Crèmerie"),
            I("Yaourt fermier nature", "0.95", "la pièce", "Crèmerie"),
            I("Plateau de fromages (6 personnes)", "42.00", "le plateau", "Fromages"),
        ),
    ),
    ShopKind(
        slug="librairie",
        name="Librairie",
        icon="📚",
        label="Librairie",
        colour="#1f4e79",
        shape="book",
        hours=("continuous",),
        taglines=(
            "Romans, jeunesse, BD : les conseils de vrais lecteurs",
            "Librairie indépendante et papeterie",
            "Le livre que vous cherchez, commandé en 48 heures",
        ),
        about="Une librairie indépendante où l'on prend le temps de conseiller : romans, "
        "bandes dessinées, jeunesse, histoire locale et une belle papeterie.",
        shops=("Librairie Le Marque-Page", "La Plume et l'Encrier", "Librairie des Tanneurs"),
        prefixes=("Librairie", "Le Marque-Page", "Les Mots"),
        items=(
            I("Roman « Les Jardins de Valbourg »", "21.90", "la pièce", "Livres"),
            I("Histoire de Valbourg illustrée", "29.00", "la pièce", "Livres"),
            I("Balades à vélo autour de Valbourg", "15.00", "la pièce", "Livres"),
            I("Cuisine wallonne de nos grands-mères", "24.90", "la pièce", "Livres"),
            I("Album jeunesse « Le petit dragon »", "13.50", "la pièce", "Livres"),
            I("Bande dessinée « Les Enquêtes de Léon », tome 3", "12.95", "la pièce", "Livres"),
            I("Polar « Brouillard sur la Haine »", "22.50", "la pièce", "Livres"),
            I("Guide des oiseaux du jardin", "19.90", "la pièce", "Livres"),
            I("Roman de poche « L'Été des cerises »", "8.90", "la pièce", "Livres"),
            I("Atlas du monde", "34.90", "la pièce", "Livres"),
            I("Carnet de notes A5 ligné", "8.90", "la pièce", "Papeterie"),
            I("Stylo plume rechargeable", "18.50", "la pièce", "Papeterie"),
            I("Agenda semainier", "16.90", "la pièce", "Papeterie"),
            I("Carte de vœux illustrée", "3.50", "la pièce", "Papeterie"),
            I("Chèque-cadeau 25 €", "25.00", "la pièce", "Papeterie"),
            I("Coloriages pour adultes", "12.90", "la pièce", "Livres"),
        ),
    ),
    ShopKind(
        slug="night-shop",
        name="Night shop",
        icon="🌙",
        label="Night shop",
        colour="#2e2a6b",
        shape="moon",
        hours=("night",),
        taglines=(
            "Ouvert tous les soirs jusqu'à 1 h",
            "Le dépannage du soir, 7 jours sur 7",
            "Boissons fraîches et petites courses jusqu'à minuit passé",
        ),
        about="Boissons fraîches, snacks et produits de dépannage, tous les soirs de la "
        "semaine jusqu'à une heure du matin.",
        shops=("Night shop de la Gare", "Le Noctambule", "Night & Day Saint-Rémy"),
        prefixes=("Night shop", "Le Noctambule", "Night & Day"),
        items=(
            I("Bière blonde 25 cl", "1.50", "la canette", "Boissons"),
            I("Soda cola 33 cl", "1.60", "la canette", "Boissons"),
            I("Eau minérale 1,5 L", "1.20", "la bouteille", "Boissons"),
            I("Bière spéciale 33 cl", "2.40", "la bouteille", "Boissons"),
            I("Vin rouge de table 75 cl", "7.90", "la bouteille", "Boissons"),
            I("Chips au sel", "2.20", "le sachet", "Snacks"),
            I("Barre chocolatée", "1.30", "la pièce", "Snacks"),
            I("Cacahuètes grillées", "2.50", "le sachet", "Snacks"),
            I("Glace vanille 500 ml", "5.90", "le pot", "Snacks"),
            I("Pizza margherita surgelée", "4.90", "la pièce", "Dépannage"),
            I("Lait demi-écrémé 1 L", "1.40", "la brique", "Dépannage"),
            I("Pain de mie", "2.50", "le paquet", "Dépannage"),
            I("Papier toilette (6 rouleaux)", "4.50", "le paquet", "Dépannage"),
            I("Piles AAA (lot de 4)", "4.90", "le lot", "Dépannage"),
            I("Café soluble", "5.90", "le pot", "Dépannage"),
        ),
    ),
    ShopKind(
        slug="epicerie-fine",
        name="Épicerie fine",
        icon="🫙",
        label="Épicerie",
        colour="#4d5c1a",
        shape="jar",
        hours=("sunday_morning", "continuous"),
        taglines=(
            "Produits de petits producteurs, d'ici et d'ailleurs",
            "L'épicerie des gourmands",
            "Vrac, conserves fines et paniers cadeaux",
        ),
        about="Huiles, confitures, miels, biscuits et conserves fines : une sélection de "
        "petits producteurs, dont beaucoup travaillent à moins de cinquante kilomètres.",
        shops=("L'Épicerie du Beffroi", "Saveurs d'ici", "Le Garde-Manger", "Terre et Bocal"),
        prefixes=("Épicerie", "Le Garde-Manger", "Saveurs"),
        items=(
            I("Huile d'olive vierge extra 50 cl", "14.90", "la bouteille", "Épicerie salée"),
            I("Moutarde à l'ancienne", "3.90", "le pot", "Épicerie salée"),
            I("Pâtes artisanales 500 g", "4.50", "le paquet", "Épicerie salée"),
            I("Riz carnaroli 1 kg", "6.80", "le paquet", "Épicerie salée"),
            I("Tapenade noire", "6.50", "le pot", "Épicerie salée"),
            I("Vinaigre balsamique", "12.50", "la bouteille", "Épicerie salée"),
            I("Sel de Guérande", "3.50", "le pot", "Épicerie salée"),
            I("Sirop de Liège 450 g", "5.90", "le pot", "Épicerie sucrée"),
            I("Confiture de fraises extra", "4.90", "le pot", "Épicerie sucrée"),
            I("Miel de fleurs de Valbourg", "9.50", "le pot", "Épicerie sucrée"),
            I("Spéculoos artisanaux 250 g", "5.50", "le paquet", "Épicerie sucrée"),
            I("Thé vert sencha 100 g", "8.90", "la boîte", "Boissons"),
            I("Café en grains 250 g", "7.90", "le paquet", "Boissons", "Torréfié à Valbourg."),
            I("Jus de pomme artisanal 1 L", "3.90", "la bouteille", "Boissons"),
            I("Chips artisanales", "2.90", "le sachet", "Épicerie salée"),
            I("Panier gourmand", "45.00", "le panier", "Épicerie sucrée"),
        ),
    ),
    ShopKind(
        slug="caviste",
        name="Caviste",
        icon="🍷",
        label="Caviste",
        colour="#5e1a3a",
        shape="bottle",
        hours=("late",),
        taglines=(
            "Vins de vignerons et bières belges",
            "Un conseil, une bouteille, un accord",
            "La cave du quartier",
        ),
        about="Vins de vignerons indépendants, bières de brasseries wallonnes et quelques "
        "spiritueux choisis. Dégustations le samedi.",
        shops=("Le Cellier de Valbourg", "Cave Saint-Rémy", "Houblon & Raisin"),
        prefixes=("Cave", "Le Cellier", "La Cave à Vins"),
        items=(
            I("Côtes-du-Rhône rouge", "9.90", "la bouteille", "Vins"),
            I("Bordeaux supérieur", "12.50", "la bouteille", "Vins"),
            I("Muscadet sur lie", "8.90", "la bouteille", "Vins"),
            I("Crémant de Wallonie", "17.90", "la bouteille", "Vins"),
            I("Champagne brut", "34.00", "la bouteille", "Vins"),
            I("Vin blanc de Wallonie", "15.50", "la bouteille", "Vins"),
            I("Rosé de Provence", "11.90", "la bouteille", "Vins"),
            I("Bière d'abbaye blonde 33 cl", "2.60", "la bouteille", "Bières"),
            I("Bière triple 75 cl", "6.90", "la bouteille", "Bières"),
            I("Gueuze 37,5 cl", "3.40", "la bouteille", "Bières"),
            I("Saison de Valbourg 33 cl", "2.90", "la bouteille", "Bières"),
            I("Coffret découverte (6 bières)", "18.00", "le coffret", "Bières"),
            I("Genièvre 70 cl", "24.90", "la bouteille", "Spiritueux"),
            I("Whisky single malt 70 cl", "45.00", "la bouteille", "Spiritueux"),
            I("Limonade artisanale", "1.90", "la bouteille", "Bières"),
            I("Vin rouge en cubi 5 L", "29.00", "la pièce", "Vins"),
        ),
    ),
    ShopKind(
        slug="chocolatier",
        name="Chocolatier",
        icon="🍫",
        label="Chocolatier",
        colour="#4a2511",
        shape="square",
        hours=("sunday_morning",),
        taglines=(
            "Pralines faites main, chaque semaine",
            "Maître chocolatier depuis 1987",
            "Chocolat belge, fèves choisies",
        ),
        about="Pralines, ganaches et tablettes façonnées à la main dans notre atelier, à "
        "partir de fèves dont nous connaissons l'origine.",
        shops=("Chocolaterie Dubois", "Cacao & Co", "Les Douceurs d'Élise"),
        prefixes=("Chocolaterie", "Cacao", "Les Douceurs"),
        items=(
            I("Ballotin de pralines 250 g", "17.50", "le ballotin", "Pralines"),
            I("Ballotin de pralines 500 g", "33.00", "le ballotin", "Pralines"),
            I("Manons au café", "2.30", "la pièce", "Pralines"),
            I("Truffes au cacao 200 g", "11.90", "la boîte", "Pralines"),
            I("Tablette noir 72 %", "4.90", "la tablette", "Chocolats"),
            I("Tablette lait noisettes", "5.20", "la tablette", "Chocolats"),
            I("Mendiants 200 g", "9.50", "le sachet", "Chocolats"),
            I("Orangettes 150 g", "8.90", "la boîte", "Chocolats"),
            I("Pâte à tartiner noisette", "8.50", "le pot", "Chocolats"),
            I("Chocolat chaud à fondre", "7.90", "le sachet", "Chocolats"),
            I("Saint-Nicolas en chocolat", "12.00", "la pièce", "Chocolats"),
            I("Calendrier de l'Avent", "24.00", "la pièce", "Chocolats"),
            I("Guimauves artisanales", "6.50", "le sachet", "Confiseries"),
            I("Cuberdons 200 g", "6.90", "le sachet", "Confiseries"),
            I("Marrons glacés", "19.00", "la boîte", "Confiseries"),
            I("Nougat aux amandes", "7.20", "la pièce", "Confiseries"),
        ),
    ),
    ShopKind(
        slug="quincaillerie",
        name="Quincaillerie",
        icon="🔧",
        label="Quincaillerie",
        colour="#3b4a54",
        shape="hexagon",
        hours=("hardware",),
        taglines=(
            "La vis qu'il vous faut, et le conseil avec",
            "Outillage, jardin, doubles de clés",
            "Tout pour bricoler, au détail",
        ),
        about="Outillage, quincaillerie au détail, peinture, petit électrique et jardin. "
        "Doubles de clés et affûtage en quelques minutes.",
        shops=("Quincaillerie Moreau", "Brico du Centre", "Au Clou Doré"),
        prefixes=("Quincaillerie", "Brico", "Au Clou"),
        items=(
            I("Marteau de menuisier", "14.90", "la pièce", "Outillage"),
            I("Jeu de 6 tournevis", "19.90", "le jeu", "Outillage"),
            I("Vis à bois assorties (200)", "9.90", "la boîte", "Outillage"),
            I("Mètre ruban 5 m", "8.50", "la pièce", "Outillage"),
            I("Cadenas laiton", "9.50", "la pièce", "Outillage"),
            I("Double de clé", "4.50", "la pièce", "Outillage", "Fait en cinq minutes."),
            I("Ampoule LED E27", "4.90", "la pièce", "Maison"),
            I("Rallonge électrique 5 m", "12.90", "la pièce", "Maison"),
            I("Pinceaux (lot de 3)", "7.90", "le lot", "Maison"),
            I("Peinture murale blanche 2,5 L", "29.90", "le pot", "Maison"),
            I("Colle extra-forte", "5.90", "le tube", "Maison"),
            I("Piles AA (lot de 4)", "5.50", "le lot", "Maison"),
            I("Ruban de masquage", "3.90", "le rouleau", "Maison"),
            I("Sécateur", "19.90", "la pièce", "Jardin"),
            I("Arrosoir 10 L", "11.90", "la pièce", "Jardin"),
            I("Gants de jardin", "6.90", "la paire", "Jardin"),
            I("Balai d'extérieur", "14.50", "la pièce", "Jardin"),
        ),
    ),
    ShopKind(
        slug="vetements",
        name="Vêtements",
        icon="👗",
        label="Vêtements",
        colour="#6b2d80",
        shape="circle",
        hours=("continuous",),
        taglines=(
            "Mode femme et homme, fabriquée en Europe",
            "Des vêtements qui durent",
            "Matières naturelles, coupes simples",
        ),
        about="Une sélection de vêtements et d'accessoires en matières naturelles, choisis "
        "pour durer. Retouches possibles sur place.",
        shops=("Maison Lemoine", "L'Étoffe", "Fil & Bouton", "Le Vestiaire de Jules"),
        prefixes=("Boutique", "L'Étoffe", "Le Vestiaire"),
        items=(
            I("Pull en laine mérinos", "79.00", "la pièce", "Mode"),
            I("Chemise en lin", "59.00", "la pièce", "Mode"),
            I("Jean coupe droite", "69.00", "la pièce", "Mode"),
            I("Robe portefeuille", "75.00", "la pièce", "Mode"),
            I("Veste imperméable", "119.00", "la pièce", "Mode"),
            I("T-shirt en coton bio", "25.00", "la pièce", "Mode"),
            I("Pantalon chino", "65.00", "la pièce", "Mode"),
            I("Cardigan", "69.00", "la pièce", "Mode"),
            I("Écharpe en laine", "35.00", "la pièce", "Accessoires"),
            I("Bonnet tricoté main", "22.00", "la pièce", "Accessoires"),
            I("Ceinture en cuir", "39.00", "la pièce", "Accessoires"),
            I("Chaussettes (lot de 3)", "15.00", "le lot", "Accessoires"),
            I("Sac cabas en toile", "29.00", "la pièce", "Accessoires"),
            I("Gants en cuir", "45.00", "la paire", "Accessoires"),
            I("Parapluie pliant", "24.00", "la pièce", "Accessoires"),
        ),
    ),
    ShopKind(
        slug="pharmacie-parapharmacie",
        name="Pharmacie-parapharmacie",
        icon="💊",
        label="Pharmacie",
        colour="#1b6b3a",
        shape="cross",
        hours=("pharmacy",),
        taglines=(
            "Votre pharmacie de quartier",
            "Conseil, parapharmacie et matériel de soin",
            "Soins, hygiène et bien-être",
        ),
        about="Parapharmacie, hygiène et petit matériel de soin, avec le conseil de nos "
        "pharmaciens. Les médicaments sur ordonnance restent délivrés au comptoir.",
        shops=("Pharmacie du Marché", "Pharmacie de la Gare", "Parapharmacie Bien-Être"),
        prefixes=("Pharmacie", "Parapharmacie", "Officine"),
        items=(
            I("Crème mains réparatrice", "6.90", "le tube", "Soins"),
            I("Crème solaire SPF 50", "15.90", "le flacon", "Soins"),
            I("Baume à lèvres", "3.90", "la pièce", "Soins"),
            I("Gel douche surgras", "5.50", "le flacon", "Hygiène"),
            I("Shampooing doux", "6.20", "le flacon", "Hygiène"),
            I("Dentifrice au fluor", "3.50", "le tube", "Hygiène"),
            I("Brosse à dents souple", "3.20", "la pièce", "Hygiène"),
            I("Lingettes pour bébé", "3.90", "le paquet", "Hygiène"),
            I("Gel hydroalcoolique 100 ml", "2.90", "le flacon", "Hygiène"),
            I("Thermomètre digital", "9.90", "la pièce", "Soins"),
            I("Pansements (boîte de 20)", "4.50", "la boîte", "Soins"),
            I("Spray anti-moustiques", "9.80", "le flacon", "Soins"),
            I("Tisane sommeil", "5.90", "la boîte", "Bien-être"),
            I("Huile essentielle de lavande 10 ml", "7.50", "le flacon", "Bien-être"),
            I("Vitamine C à croquer", "8.90", "la boîte", "Bien-être"),
            I("Bouillotte aux noyaux de cerise", "19.90", "la pièce", "Bien-être"),
        ),
    ),
    ShopKind(
        slug="jouets",
        name="Jouets",
        icon="🧸",
        label="Jouets",
        colour="#b03a12",
        shape="star",
        hours=("continuous",),
        taglines=(
            "Jeux et jouets qui durent, en bois et en tissu",
            "Le magasin de jouets où l'on a le droit de toucher",
            "Jeux de société, éveil et loisirs créatifs",
        ),
        about="Jeux de société, jouets en bois, peluches et loisirs créatifs, choisis pour "
        "durer et pour jouer ensemble. Paquet cadeau offert.",
        shops=("La Boîte à Jouets", "Le Petit Manège", "Au Cheval de Bois"),
        prefixes=("La Boîte à Jouets", "Le Manège", "Ludo"),
        items=(
            I("Puzzle 100 pièces", "12.90", "la pièce", "Jeux"),
            I("Jeu de société familial", "29.90", "la pièce", "Jeux"),
            I("Jeu de cartes", "7.50", "la pièce", "Jeux"),
            I("Jeu de construction 250 pièces", "39.90", "la boîte", "Jeux"),
            I("Peluche ours", "19.90", "la pièce", "Jouets"),
            I("Train en bois", "34.90", "la pièce", "Jouets"),
            I("Poupée en tissu", "27.50", "la pièce", "Jouets"),
            I("Voiture à friction", "8.90", "la pièce", "Jouets"),
            I("Ballon de football", "14.90", "la pièce", "Jouets"),
            I("Corde à sauter", "6.90", "la pièce", "Jouets"),
            I("Pâte à modeler (4 pots)", "7.90", "le lot", "Loisirs créatifs"),
            I("Kit de perles", "14.90", "la boîte", "Loisirs créatifs"),
            I("Kaléidoscope", "9.90", "la pièce", "Loisirs créatifs"),
            I("Cubes en bois", "24.90", "la boîte", "Éveil"),
            I("Hochet en bois", "11.90", "la pièce", "Éveil"),
            I("Livre en tissu", "15.90", "la pièce", "Éveil"),
        ),
    ),
    ShopKind(
        slug="primeur",
        name="Primeur",
        icon="🥕",
        label="Primeur",
        colour="#2f6b1f",
        shape="leaf",
        hours=("sunday_morning", "split"),
        taglines=(
            "Fruits et légumes de saison, en direct des maraîchers",
            "Le marché, tous les jours",
            "Cultivé près d'ici, cueilli à maturité",
        ),
        about="Fruits et légumes de saison, achetés chaque matin aux maraîchers et "
        "arboriculteurs de la région.",
        shops=(
            "Les Jardins de Marie",
            "Primeur Lambert",
            "Au Panier Frais",
            "Le Potager du Centre",
        ),
        prefixes=("Primeur", "Le Potager", "Au Panier"),
        items=(
            I("Pommes Jonagold", "2.90", "le kg", "Fruits"),
            I("Poires Conférence", "3.20", "le kg", "Fruits"),
            I("Bananes", "2.20", "le kg", "Fruits"),
            I("Oranges à jus", "2.80", "le kg", "Fruits"),
            I("Fraises de Wépion", "4.50", "la barquette", "Fruits"),
            I("Citrons", "3.50", "le kg", "Fruits"),
            I("Tomates grappe", "3.90", "le kg", "Légumes"),
            I("Pommes de terre Bintje 5 kg", "6.50", "le sac", "Légumes"),
            I("Carottes", "1.60", "le kg", "Légumes"),
            I("Poireaux", "2.40", "le kg", "Légumes"),
            I("Chicons", "3.80", "le kg", "Légumes"),
            I("Laitue", "1.40", "la pièce", "Légumes"),
            I("Champignons de Paris", "4.90", "le kg", "Légumes"),
            I("Oignons jaunes", "1.80", "le kg", "Légumes"),
            I("Courgettes", "2.90", "le kg", "Légumes"),
            I("Persil plat", "1.50", "la botte", "Légumes"),
            I("Panier de légumes de saison", "18.00", "le panier", "Légumes"),
        ),
    ),
)

KINDS_BY_SLUG = {kind.slug: kind for kind in KINDS}

# First names and surnames for legal names ("Lemaire & Fils SRL") of generated shops.
SURNAMES = (
    "Lemaire",
    "Dubois",
    "Lambert",
    "Delvaux",
    "Moreau",
    "Renard",
    "Martin",
    "Leclercq",
    "Dupuis",
    "Jacquet",
    "Hubert",
    "Masson",
)
