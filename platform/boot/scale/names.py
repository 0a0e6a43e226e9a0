"""Word lists for Dutch-looking fake people, places and agreements (all invented combinations)."""

from __future__ import annotations

GIVEN_NAMES = (
    "Anke", "Annelies", "An", "Bart", "Bram", "Britt", "Dirk", "Els", "Emma", "Eva", "Fien", "Filip", "Frederik",
    "Geert", "Hanne", "Hilde", "Ilse", "Inge", "Jan", "Jana", "Jef", "Joke", "Joris", "Karel", "Katrien", "Kevin",
    "Koen", "Lars", "Leen", "Lies", "Lotte", "Lucas", "Maarten", "Marieke", "Mathias", "Nele", "Nina", "Noor",
    "Pieter", "Ria", "Robbe", "Ruben", "Sander", "Sara", "Sofie", "Stijn", "Tine", "Tom", "Veerle", "Wim",
    "Yana", "Youssef", "Fatima", "Mehmet", "Aylin", "Ahmed", "Samira", "Omar", "Imane", "Bilal", "Olena",
    "Ivan", "Mariam", "Abdi", "Amina", "Kwame", "Lina", "Adam", "Zeynep", "Milan", "Jasper", "Louise",
)
FAMILY_NAMES = (
    "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters", "De Smet",
    "Dubois", "Hermans", "Aerts", "Michiels", "Van den Broeck", "De Clercq", "Lambrechts", "Verstraete",
    "Vermeulen", "Van Damme", "De Vos", "Desmet", "Claeys", "Declercq", "Segers", "Martens", "Verhoeven",
    "Smets", "Van de Velde", "Cools", "Pauwels", "Bogaert", "Van Hoof", "Coppens", "Vandenberghe", "Stevens",
    "Wuyts", "Verbruggen", "De Backer", "Lenaerts", "Geerts", "Thys", "Vervoort", "Baert", "Mommaerts",
    "El Amrani", "Yilmaz", "Benali", "Kaya", "Nowak", "Diallo", "Haddad", "Kowalski", "Popescu", "Mensah",
)
MUNICIPALITIES = (
    "Aalst", "Antwerpen", "Beringen", "Blankenberge", "Boom", "Brugge", "Deinze", "Dendermonde", "Diest",
    "Eeklo", "Geel", "Genk", "Gent", "Geraardsbergen", "Halle", "Hasselt", "Herentals", "Houthalen",
    "Ieper", "Kortrijk", "Leuven", "Lier", "Lokeren", "Lommel", "Maasmechelen", "Mechelen", "Menen", "Mol",
    "Ninove", "Oostende", "Oudenaarde", "Roeselare", "Ronse", "Sint-Niklaas", "Sint-Truiden", "Temse",
    "Tielt", "Tienen", "Tongeren", "Torhout", "Turnhout", "Vilvoorde", "Waregem", "Wetteren", "Zaventem",
    "Zottegem", "Zele", "Zwevegem", "Heist-op-den-Berg", "Bilzen",
)
# (name pattern, kind, relative weight when picking members)
AGENCY_TYPES = (
    ("OCMW {m}", "ocmw", 30),
    ("VDAB {m}", "vdab", 30),
    ("CAW {m}", "caw", 20),
    ("Sociale dienst jeugdrechtbank {m}", "jeugdrechtbank", 5),
    ("CGG {m}", "other", 6),
    ("Schuldbemiddeling {m}", "other", 8),
    ("GON-begeleiding {m}", "other", 4),
    ("Thuisbegeleiding {m}", "other", 5),
    ("Huurdersbond {m}", "other", 3),
)
FUNCTIONS = ("maatschappelijk werker", "trajectbegeleider", "hulpverlener", "consulent", "begeleider")
RELATIONS = ("zus", "broer", "moeder", "vriendin", "vriend", "buurvrouw", "buurman", "tante", "oom")
QUESTIONS = (
    "Hulp bij het ordenen van de papieren.",
    "Samen zoeken naar een betaalbare woning.",
    "Begeleiding naar een opleiding of werk.",
    "Afstemmen wie wat doet in het gezin.",
    "Advies over schulden en een budgetplan.",
)
# One short agreement text per life domain (invented, B1 Dutch).
AGREEMENTS = {
    "finances": ("Budgetplan maken en rekeningen sorteren.", "Aanvraag leefloon opvolgen."),
    "work_training": ("Inschrijven voor een taalcursus.", "Twee sollicitaties per week versturen."),
    "health": ("Afspraak maken bij de huisarts.", "Samen naar het CGG gaan."),
    "parenting": ("Opvang regelen voor de jongste.", "Oudercontact op school bijwonen."),
    "household": ("Weekplanning maken voor het huishouden.", "Hulp bij de was en de boodschappen."),
    "social": ("Contact leggen met een buddy.", "Gesprek over de relatie plannen."),
    "participation": ("Lid worden van de buurtwerking.", "Vrijetijdspas aanvragen."),
    "housing": ("Afspraak bij de huurdersbond.", "Inschrijven voor een sociale woning."),
    "justice": ("Advocaat pro deo aanvragen.", "Brief van de rechtbank samen lezen."),
    "network": ("Zus vragen om mee te gaan.", "Buurvrouw vragen voor de kinderopvang."),
    "inner": ("Samen bekijken wat je moed geeft.", "Praten over hoe je je voelt na het gesprek."),
    "other": ("Rijbewijs theorie inplannen.", "Fiets laten herstellen."),
}
