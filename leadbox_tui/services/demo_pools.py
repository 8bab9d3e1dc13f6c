"""The raw material of the demo inbox: names, companies, places and phone plans of several cultures.

Pure data, kept apart from the generator so each can be read on its own. Lists are written as
comma-separated strings because several names hold spaces ("El Amrani", "van den Berg").
"""

from __future__ import annotations

from dataclasses import dataclass


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


@dataclass(frozen=True)
class PhonePlan:
    """Phone numbers of one country, and the ways people write them.

    A number is its national significant number (``prefix`` + ``digits`` more digits, never
    starting with 0); a format has one ``X`` per digit of it. Formats that do not start with
    ``+`` are national: what their key is depends on the region normalize assumes.
    """

    region: str
    code: int
    prefixes: tuple[str, ...]
    digits: int
    formats: tuple[str, ...]

    def __post_init__(self) -> None:
        lengths = {len(p) + self.digits for p in self.prefixes}
        if len(lengths) != 1 or any(f.count("X") not in lengths for f in self.formats):
            raise ValueError(f"the {self.region} phone formats do not fit its numbers")


@dataclass(frozen=True)
class Culture:
    """People, companies and places of one country or language."""

    code: str
    weight: int
    given: tuple[str, ...]
    family: tuple[str, ...]
    phone: PhonePlan
    mail_domains: tuple[str, ...]
    sectors: tuple[str, ...]
    coined: tuple[str, ...]
    org_patterns: tuple[str, ...]
    suffixes: tuple[str, ...]
    tld: str
    streets: tuple[str, ...]
    cities: tuple[tuple[str, str], ...]  # (city, postcode)
    address: str  # format with n, m, street, city, postcode
    currencies: tuple[tuple[str, int], ...]  # (code, weight)
    family_first: bool = False
    double_family: bool = False  # Spanish and Portuguese people often carry two family names


FR_PHONE = PhonePlan(
    "FR",
    33,
    ("6", "7", "1", "2", "3", "4", "5", "9"),
    8,
    ("+33 X XX XX XX XX", "0X XX XX XX XX", "+33XXXXXXXXX", "0X.XX.XX.XX.XX"),
)
ES_PHONE = PhonePlan("ES", 34, ("6", "7", "9"), 8, ("+34 XXX XX XX XX", "+34 XXX XXX XXX"))
DE_PHONE = PhonePlan(
    "DE",
    49,
    ("151", "152", "160", "162", "170", "171", "176", "179"),
    8,
    ("+49 XXX XXXXXXXX", "+49 (0)XXX XXXXXXXX", "+49XXXXXXXXXXX", "+49 XXX XXXX XXXX"),
)
PT_PHONE = PhonePlan(
    "PT", 351, ("91", "93", "96", "21", "22"), 7, ("+351 XXX XXX XXX", "+351XXXXXXXXX")
)
PL_PHONE = PhonePlan(
    "PL", 48, ("50", "51", "60", "69", "22"), 7, ("+48 XXX XXX XXX", "+48 XXXXXXXXX")
)
VN_PHONE = PhonePlan("VN", 84, ("90", "91", "98", "28"), 7, ("+84 XXX XXX XXX", "+84 XX XXX XXXX"))
JP_PHONE = PhonePlan("JP", 81, ("90", "80", "70"), 8, ("+81 XX-XXXX-XXXX", "+81 XXXXXXXXXX"))
MA_PHONE = PhonePlan("MA", 212, ("6", "7", "5"), 8, ("+212 X XX XX XX XX", "+212 XXX-XXXXXX"))
US_PHONE = PhonePlan(
    "US",
    1,
    ("212555", "415555", "312555", "512555", "206555", "617555", "303555", "404555"),
    4,
    ("(XXX) XXX-XXXX", "+1 XXX-XXX-XXXX", "+1 (XXX) XXX-XXXX", "+1 XXX XXX XXXX"),
)
GB_PHONE = PhonePlan(
    "GB",
    44,
    ("74", "75", "77", "78", "79"),
    8,
    ("+44 XXXX XXXXXX", "0XXXX XXXXXX", "+44 (0)XXXX XXXXXX", "+44XXXXXXXXXX"),
)
NL_PHONE = PhonePlan("NL", 31, ("6",), 8, ("+31 X XXXXXXXX", "+31 (0)X XXXX XXXX"))
CH_PHONE = PhonePlan(
    "CH", 41, ("79", "78", "76", "44", "22"), 7, ("+41 XX XXX XX XX", "+41XXXXXXXXX")
)

ENGLISH_GIVEN = _split(
    "Oliver, Amelia, James, Charlotte, George, Olivia, Harry, Emily, Jack, Sophie, William, "
    "Grace, Thomas, Chloe, Daniel, Zoë, Ethan, Hannah, Noah, Abigail, Liam, Madison, Samuel, "
    "Evelyn, Henry, Isla, Joshua, Ruby, Matthew, Freya, Benjamin, Poppy"
)
ENGLISH_FAMILY = _split(
    "Smith, Jones, Taylor, Brown, Williams, Wilson, Johnson, Davies, Robinson, Wright, "
    "Thompson, Evans, Walker, White, Roberts, O'Brien, Hughes, Green, Hall, Wood, Harris, "
    "Clarke, Jackson, Turner, Cooper, Morgan, Baker, Edwards, Bennett, McAllister, Fitzgerald"
)

CULTURES: tuple[Culture, ...] = (
    Culture(
        code="fr",
        weight=24,
        given=_split(
            "Jérôme, Hélène, Françoise, Amélie, Léa, Benoît, Chloé, Élodie, Gaëlle, Mathéo, "
            "Noël, Zoé, Camille, Julien, Sébastien, Thérèse, Anaïs, Raphaël, Inès, Loïc, Cécile, "
            "Aurélien, Océane, François, Maëlle, Clément, Valérie, Rémi, Agnès, Étienne, "
            "Jean-Baptiste, Marie-Claire, Hervé, Solène, Grégoire, Bérénice"
        ),
        family=_split(
            "Dupont, Lefèvre, Moreau, Girard, Bérenger, Chevalier, Rousseau, Fontaine, Mercier, "
            "Lambert, Faure, Gauthier, Mérieux, Brûlé, Lemaître, Lécuyer, Dubois, Boucher, "
            "Garnier, Péron, Carré, Deschênes, Laîné, Perrin, Marchand, Rivière, Besnard, "
            "Thévenot, "
            "Dumas, Leroy, Crépin, Guérin, Bouvier, Noël, Hébert, Courtois"
        ),
        phone=FR_PHONE,
        mail_domains=("gmail.com", "orange.fr", "free.fr", "laposte.net", "outlook.fr", "sfr.fr"),
        sectors=_split(
            "Transports, Conseil, Informatique, Immobilier, Rénovation, Électricité, Menuiserie, "
            "Imprimerie, Architecture, Paysages, Énergies, Logistique, Pâtisserie, Boulangerie, "
            "Cosmétiques, Vins, Études, Formation, Plomberie, Traiteur"
        ),
        coined=_split(
            "Lumière, Horizon, Azur, Atlantique, Alpes, Mistral, Étoile, Rivage, Vallée, Cèdre, "
            "Hexagone, Bocage, Presqu'île, Garonne, Vercors"
        ),
        org_patterns=(
            "{sector} {family}",
            "{family} {sector}",
            "{coined} {sector}",
            "{family} & Fils",
            "{family} et Associés",
        ),
        suffixes=("SARL", "SAS", "SA", "EURL", "S.A.R.L.", "SASU"),
        tld="fr",
        streets=_split(
            "rue de la République, avenue Jean-Jaurès, boulevard Haussmann, place Bellecour, "
            "rue du Faubourg Saint-Honoré, quai des Chartrons, rue Sainte-Catherine, "
            "allée des Tilleuls, chemin des Vignes, rue Émile-Zola"
        ),
        cities=(
            ("Paris", "75011"),
            ("Lyon", "69002"),
            ("Marseille", "13001"),
            ("Bordeaux", "33000"),
            ("Lille", "59000"),
            ("Nantes", "44000"),
            ("Toulouse", "31000"),
            ("Strasbourg", "67000"),
            ("Annecy", "74000"),
            ("Besançon", "25000"),
        ),
        address="{n} {street}, {postcode} {city}",
        currencies=(("EUR", 85), ("CHF", 10), ("USD", 5)),
    ),
    Culture(
        code="es",
        weight=10,
        given=_split(
            "José, María, Ángel, Lucía, Sofía, Andrés, Íñigo, Begoña, Raúl, Inés, Nuria, Álvaro, "
            "Jesús, Mónica, Pilar, Martín, Adrián, Rocío, Sebastián, Ramón, Almudena, Joaquín, "
            "Maite, Héctor, Leire, Óscar, Marisol, Iván"
        ),
        family=_split(
            "García, Martínez, López, Sánchez, Pérez, Gómez, Fernández, Jiménez, Muñoz, Álvarez, "
            "Romero, Núñez, Ibáñez, Domínguez, Vázquez, Castaño, Peña, Ortiz, Rubio, Molina, "
            "Gutiérrez, Suárez, Cañizares, Iglesias, Herrera, Marín, Echeverría, Zúñiga"
        ),
        phone=ES_PHONE,
        mail_domains=("gmail.com", "hotmail.es", "yahoo.es", "telefonica.net"),
        sectors=_split(
            "Construcciones, Transportes, Consultoría, Inmobiliaria, Energías, Alimentación, "
            "Diseño, Reformas, Vinos, Logística"
        ),
        coined=_split("Ibérica, Mediterránea, Atlántida, Solana, Alhambra, Levante, Cantábrica"),
        org_patterns=("{sector} {family}", "{sector} {coined}", "{family} Hermanos"),
        suffixes=("SL", "SA", "S.L."),
        tld="es",
        streets=_split(
            "Calle Mayor, Gran Vía, Avenida de la Constitución, Calle de Alcalá, "
            "Paseo de Gràcia, Calle Larios, Plaza de España"
        ),
        cities=(
            ("Madrid", "28013"),
            ("Barcelona", "08007"),
            ("Sevilla", "41004"),
            ("València", "46002"),
            ("Bilbao", "48001"),
            ("Málaga", "29005"),
        ),
        address="{street}, {n}, {postcode} {city}",
        currencies=(("EUR", 90), ("USD", 10)),
        double_family=True,
    ),
    Culture(
        code="de",
        weight=14,
        given=_split(
            "Jürgen, Björn, Günter, Jörg, Uwe, Käthe, Lena, Maximilian, Sönke, Wolfgang, Anja, "
            "Mareike, Dörte, Lukas, Frieda, Matthias, Sabine, Tobias, Ute, Klaus, Jörn, Annegret, "
            "Hannes, Gisela, Ömer, Leonie, Volker, Bärbel, Florian, Heike"
        ),
        family=_split(
            "Müller, Schröder, Schäfer, Weiß, Groß, Köhler, Hoffmann, Becker, Wagner, Schulz, "
            "Krüger, Böhm, Fischer, Meyer, Koch, Bauer, Löffler, Weber, Zimmermann, Hübner, "
            "Schmitt, Jäger, Vogel, Kühn, Brandt, Günther, Sommer, Strauß, Möller, Lange"
        ),
        phone=DE_PHONE,
        mail_domains=("gmx.de", "web.de", "t-online.de", "gmail.com", "posteo.de"),
        sectors=_split(
            "Maschinenbau, Logistik, Software, Bau, Elektrotechnik, Immobilien, Beratung, "
            "Solartechnik, Brauerei, Druckerei, Metallbau, Medizintechnik, Feinkost, Holzbau"
        ),
        coined=_split(
            "Nordlicht, Rheinwerk, Sonnenhof, Eichenhain, Weißdorn, Bergblick, Elbufer, Isartal"
        ),
        org_patterns=("{family} {sector}", "{coined} {sector}", "{family} & {family2}"),
        suffixes=("GmbH", "AG", "KG", "GmbH & Co. KG", "UG"),
        tld="de",
        streets=_split(
            "Hauptstraße, Bahnhofstraße, Königsallee, Friedrichstraße, Schillerstraße, "
            "Goethestraße, Mühlenweg, Lindenallee"
        ),
        cities=(
            ("Berlin", "10115"),
            ("München", "80331"),
            ("Hamburg", "20095"),
            ("Köln", "50667"),
            ("Frankfurt am Main", "60311"),
            ("Düsseldorf", "40213"),
            ("Nürnberg", "90402"),
        ),
        address="{street} {n}, {postcode} {city}",
        currencies=(("EUR", 75), ("CHF", 20), ("USD", 5)),
    ),
    Culture(
        code="ch",
        weight=3,
        given=_split("Reto, Ursina, Beat, Corina, Mattia, Seraina, Luca, Nadine, Urs, Flurina"),
        family=_split(
            "Brunner, Zürcher, Baumgartner, Frei, Gerber, Keller, Widmer, Huber, Moser, Steiner, "
            "Bühler, Lüthi"
        ),
        phone=CH_PHONE,
        mail_domains=("bluewin.ch", "gmx.ch", "gmail.com"),
        sectors=_split("Treuhand, Uhren, Käserei, Informatik, Pharma, Versicherungen"),
        coined=_split("Alpina, Helvetia, Matterhorn, Engadin, Léman"),
        org_patterns=("{family} {sector}", "{coined} {sector}"),
        suffixes=("AG", "SA", "GmbH", "Sàrl"),
        tld="ch",
        streets=_split("Bahnhofstrasse, Rue du Rhône, Marktgasse, Seestrasse"),
        cities=(("Zürich", "8001"), ("Genève", "1204"), ("Basel", "4051"), ("Lausanne", "1003")),
        address="{street} {n}, {postcode} {city}",
        currencies=(("CHF", 85), ("EUR", 15)),
    ),
    Culture(
        code="pt",
        weight=7,
        given=_split(
            "João, Conceição, Gonçalo, Inês, Tomás, Sebastião, Luís, Marta, Leonor, Vitória, "
            "André, Beatriz, Simão, Fátima, Rui, Ana, Mariana, Diogo, Sílvia, Célia, Estêvão, Irene"
        ),
        family=_split(
            "Conceição, Gonçalves, Magalhães, Araújo, Simões, Guimarães, Fernandes, Rodrigues, "
            "Pereira, Sousa, Carvalho, Brandão, Loureiro, Serrão, Falcão, Antunes, Paixão, Lobo, "
            "Teixeira, Assunção, Gusmão, Gaspar"
        ),
        phone=PT_PHONE,
        mail_domains=("sapo.pt", "gmail.com", "hotmail.com", "iol.pt"),
        sectors=_split("Conservas, Transportes, Construções, Têxteis, Vinhos, Cortiças, Serviços"),
        coined=_split("Lusitânia, Atlântico, Tejo, Douro, Alvorada"),
        org_patterns=("{sector} {family}", "{sector} {coined}", "{family} & Filhos"),
        suffixes=("SA", "S.A.", "Lda"),
        tld="pt",
        streets=_split(
            "Rua Augusta, Avenida da Liberdade, Rua de Santa Catarina, Praça do Comércio"
        ),
        cities=(
            ("Lisboa", "1100-053"),
            ("Porto", "4000-322"),
            ("Braga", "4700-031"),
            ("Coimbra", "3000-150"),
        ),
        address="{street} {n}, {postcode} {city}",
        currencies=(("EUR", 95), ("USD", 5)),
        double_family=True,
    ),
    Culture(
        code="pl",
        weight=6,
        given=_split(
            "Łukasz, Małgorzata, Paweł, Zofia, Wojciech, Agnieszka, Michał, Katarzyna, "
            "Bartłomiej, Jędrzej, Grażyna, Ewa, Krzysztof, Joanna, Stanisław, Dorota, Tomasz, "
            "Anna, Przemysław, Żaneta, Jolanta, Mikołaj"
        ),
        family=_split(
            "Nowak, Wójcik, Mazur, Krawczyk, Kaczmarek, Zając, Król, Wieczorek, Dudek, Sikora, "
            "Baran, Szulc, Michalak, Szewczyk, Pietrzak, Marciniak, Wróbel, Kubiak, Wilk, Łuczak, "
            "Żak, Cieślak, Kołodziej, Głowacz"
        ),
        phone=PL_PHONE,
        mail_domains=("wp.pl", "o2.pl", "onet.pl", "interia.pl", "gmail.com"),
        sectors=_split("Budownictwo, Transport, Meble, Drukarnia, Usługi IT, Okna"),
        coined=_split("Wisła, Bałtyk, Tatry, Mazowsze, Orzeł"),
        org_patterns=("{sector} {family}", "{coined} {sector}"),
        suffixes=("Sp. z o.o.", "S.A."),
        tld="pl",
        streets=_split("Marszałkowska, Piotrkowska, Długa, Świętokrzyska, Floriańska"),
        cities=(
            ("Warszawa", "00-001"),
            ("Kraków", "31-001"),
            ("Łódź", "90-001"),
            ("Gdańsk", "80-001"),
            ("Wrocław", "50-001"),
        ),
        address="ul. {street} {n}, {postcode} {city}",
        currencies=(("EUR", 70), ("USD", 30)),
    ),
    Culture(
        code="vi",
        weight=4,
        given=_split(
            "Hương, Minh, Thảo, Quốc Anh, Đức, Phương, Tuấn, Lan, Hải, Ngọc, Trâm, Khánh, Dũng, "
            "Linh, Thủy, Văn Hùng, Thị Mai, Bảo"
        ),
        family=_split(
            "Nguyễn, Trần, Lê, Phạm, Hoàng, Huỳnh, Phan, Vũ, Võ, Đặng, Bùi, Đỗ, Hồ, Ngô, Dương"
        ),
        phone=VN_PHONE,
        mail_domains=("gmail.com", "yahoo.com.vn", "vnn.vn"),
        sectors=_split("Trading, Xây dựng, Thương mại, Du lịch, Công nghệ, Logistics"),
        coined=_split("Minh Phát, Hoàng Long, Thành Công, Phú Quý, Sao Việt, Đại Dương"),
        org_patterns=("{coined} {sector}",),
        suffixes=("Co., Ltd.", "JSC"),
        tld="vn",
        streets=_split("Đường Lê Lợi, Phố Hàng Bạc, Đường Nguyễn Huệ, Phố Tràng Tiền"),
        cities=(
            ("Quận 1, Thành phố Hồ Chí Minh", "700000"),
            ("Hoàn Kiếm, Hà Nội", "100000"),
            ("Hải Châu, Đà Nẵng", "550000"),
        ),
        address="{n} {street}, {city} {postcode}",
        currencies=(("USD", 80), ("EUR", 20)),
        family_first=True,
    ),
    Culture(
        code="ja",
        weight=4,
        given=_split(
            "Haruto, Yūki, Sakura, Ren, Aoi, Sōta, Hina, Kenji, Yōko, Takumi, Emi, Shōhei, Mei, "
            "Daisuke, Ryōta, Naomi, Kōji, Akiko"
        ),
        family=_split(
            "Satō, Suzuki, Takahashi, Tanaka, Watanabe, Itō, Yamamoto, Nakamura, Kobayashi, Katō, "
            "Yoshida, Yamada, Sasaki, Saitō, Inoue, Ōno, Kōno"
        ),
        phone=JP_PHONE,
        mail_domains=("gmail.com", "yahoo.co.jp", "docomo.ne.jp", "nifty.com"),
        sectors=_split("Trading, Shōji, Kōgyō, Denki, Seisakusho, Foods, Robotics"),
        coined=_split("Sakura, Fuji, Hikari, Midori, Kaze, Yamato, Aozora, Tsubasa"),
        org_patterns=("{coined} {sector}", "{family} {sector}"),
        suffixes=("KK", "Co., Ltd.", "Inc."),
        tld="co.jp",
        streets=_split("Marunouchi, Nishi-Shinjuku, Umeda, Sakae, Tenjin"),
        cities=(
            ("Chiyoda-ku, Tōkyō", "100-0005"),
            ("Shinjuku-ku, Tōkyō", "163-8001"),
            ("Kita-ku, Ōsaka", "530-0001"),
            ("Naka-ku, Nagoya", "460-0008"),
        ),
        address="{n}-{m}-{k} {street}, {city} {postcode}",
        currencies=(("JPY", 85), ("USD", 15)),
    ),
    Culture(
        code="ar",
        weight=6,
        given=_split(
            "Mohammed, Fatima, Youssef, Amira, Karim, Layla, Omar, Nour, Hassan, Samira, Rachid, "
            "Yasmine, Tariq, Salma, Khalid, Aïcha, Saïd, Chérif, Fouad, Hajar, Zineb, Ilyès"
        ),
        family=_split(
            "El Amrani, Benali, Haddad, Al-Sayed, Mansour, Khoury, Bouzid, Saleh, Ben Youssef, "
            "Nasser, El Idrissi, Farouk, Aziz, Hamdan, Zaki, Bennani, Tazi, Chraïbi, El Fassi"
        ),
        phone=MA_PHONE,
        mail_domains=("gmail.com", "menara.ma", "hotmail.fr", "yahoo.fr"),
        sectors=_split("Import Export, Textile, Immobilier, Agro, Travaux, Consulting, Tourisme"),
        coined=_split("Atlas, Al Amal, Nour, Sahara, Andalous, Zitoune, Oasis"),
        org_patterns=("{coined} {sector}", "{sector} {family}"),
        suffixes=("SARL", "SA", "SARL AU"),
        tld="ma",
        streets=_split(
            "Boulevard Mohammed V, Rue Ibn Battouta, Avenue Hassan II, Boulevard d'Anfa"
        ),
        cities=(
            ("Casablanca", "20250"),
            ("Rabat", "10000"),
            ("Marrakech", "40000"),
            ("Tanger", "90000"),
        ),
        address="{n} {street}, {postcode} {city}",
        currencies=(("EUR", 60), ("USD", 40)),
    ),
    Culture(
        code="us",
        weight=12,
        given=ENGLISH_GIVEN,
        family=ENGLISH_FAMILY,
        phone=US_PHONE,
        mail_domains=("gmail.com", "yahoo.com", "outlook.com", "icloud.com", "aol.com"),
        sectors=_split(
            "Analytics, Software, Logistics, Partners, Labs, Holdings, Solutions, Foods, "
            "Robotics, Capital, Health, Media"
        ),
        coined=_split(
            "Bluefield, Redwood, Northstar, Summit, Evergreen, Brightline, Ironclad, Cedar, "
            "Harbor, Keystone, Lakeshore"
        ),
        org_patterns=("{coined} {sector}", "{family} {sector}", "{family} & {family2}"),
        suffixes=("Inc", "Inc.", "LLC", "Corp.", "Corporation"),
        tld="com",
        streets=_split(
            "Market Street, Mission Street, Broadway, Main Street, Elm Street, Michigan Avenue, "
            "Congress Avenue"
        ),
        cities=(
            ("San Francisco, CA", "94103"),
            ("New York, NY", "10012"),
            ("Chicago, IL", "60601"),
            ("Austin, TX", "78701"),
            ("Seattle, WA", "98101"),
            ("Boston, MA", "02110"),
        ),
        address="{n} {street}, {city} {postcode}",
        currencies=(("USD", 95), ("EUR", 5)),
    ),
    Culture(
        code="gb",
        weight=7,
        given=ENGLISH_GIVEN,
        family=ENGLISH_FAMILY,
        phone=GB_PHONE,
        mail_domains=("gmail.com", "btinternet.com", "hotmail.co.uk", "outlook.com"),
        sectors=_split("Consulting, Engineering, Joinery, Catering, Lettings, Design, Brewing"),
        coined=_split("Harbour, Kingsway, Thames, Pennine, Oakridge, Ashford, Brambleton"),
        org_patterns=("{coined} {sector}", "{family} {sector}", "{family} & Sons"),
        suffixes=("Ltd", "Limited", "PLC", "LLP", "Ltd."),
        tld="co.uk",
        streets=_split("High Street, Station Road, Church Lane, Victoria Road, King's Road"),
        cities=(
            ("London", "EC1A 1BB"),
            ("Manchester", "M1 1AE"),
            ("Bristol", "BS1 4DJ"),
            ("Edinburgh", "EH1 1YZ"),
            ("Leeds", "LS1 4AP"),
        ),
        address="{n} {street}, {city} {postcode}",
        currencies=(("GBP", 90), ("EUR", 10)),
    ),
    Culture(
        code="nl",
        weight=5,
        given=_split(
            "Daan, Sanne, Bram, Femke, Joris, Lotte, Sem, Anouk, Thijs, Eva, Ruud, Marloes, "
            "Joëlle, Niels, Inge, Floor"
        ),
        family=_split(
            "de Vries, van den Berg, Jansen, de Jong, Bakker, van Dijk, Visser, Smit, Meijer, "
            "de Boer, Mulder, Bos, Vos, Peters, Hendriks, van Leeuwen, Dekker, van der Meer"
        ),
        phone=NL_PHONE,
        mail_domains=("gmail.com", "ziggo.nl", "kpnmail.nl", "hotmail.nl"),
        sectors=_split("Installatietechniek, Bouw, Transport, Advies, Bloemen, Software"),
        coined=_split("Polder, Tulp, Noordzee, Molenwiek, Grachten"),
        org_patterns=("{family} {sector}", "{coined} {sector}"),
        suffixes=("BV", "B.V.", "NV"),
        tld="nl",
        streets=_split("Keizersgracht, Prinsengracht, Coolsingel, Oudegracht"),
        cities=(
            ("Amsterdam", "1015 CJ"),
            ("Rotterdam", "3011 AD"),
            ("Utrecht", "3511 AB"),
            ("Den Haag", "2511 CV"),
        ),
        address="{street} {n}, {postcode} {city}",
        currencies=(("EUR", 95), ("USD", 5)),
    ),
)

TEAMMATES = ("Camille Martin", "Jonas Becker", "Sofía Ortega", "Kenji Mori")

TOPICS = _split(
    "Website redesign, 50 licences, Annual maintenance contract, Fleet renewal, Office move, "
    "Cloud migration, Training for 12 people, Trade fair stand, Solar panels, CRM roll-out, "
    "Catering for the seminar, New showroom, Security audit, Packaging redesign, Spare parts, "
    "Payroll outsourcing, Warehouse racking, Translation of the catalogue, Photo shoot, "
    "Support renewal, Pilot project, Framework agreement, Kitchen equipment, Team offsite"
)

ACTIVITY_SUBJECTS = {
    "call": _split("Discovery call, Follow-up call, Call back about the quote, Qualification call"),
    "meeting": _split("Demo meeting, On-site visit, Meeting with the buyer, Kick-off"),
    "task": _split("Send the quote, Prepare the proposal, Check the references, Update the deck"),
    "deadline": _split("Tender deadline, Offer expires, Budget decision"),
    "email": _split("Send the brochure, E-mail the price list, Reply to their questions"),
    "lunch": _split("Lunch with the team, Business lunch"),
}

NOTES = (
    "Called {first}: interested in {topic_lower}, wants a quote before the end of the month.",
    "Met {first} at the trade fair. Follow up next week.",
    "Sent the brochure; {first} will talk to their finance team.",
    "Budget confirmed, decision expected at the end of the quarter.",
    "Rappeler {first} mardi matin — préfère le téléphone au mail.",
    "Asked for references in their sector [see the shared folder].",
    "Not before September: they are moving offices.",
    "Price list v2 sent. {first} found it *a bit* expensive.",
)
MENTION_NOTES = (
    "@{handle} can you take this one? {first} asked for someone near {city}.",
    "@{handle} FYI: {first} mentioned your last visit.",
    "@{handle} and @{handle2}: who follows {topic_lower}?",
)

EMAIL_SUBJECTS = _split(
    "Request for a quote, Question about your offer, Demande de devis, Partnership proposal, "
    "Re: your visit, Information request"
)
