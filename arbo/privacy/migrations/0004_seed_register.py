"""Seed the register of processing (AVG art. 30) from seed 001's annex and the seeds' tables, and
publish the first version of the privacy statement from it."""

from django.db import migrations
from django.utils import timezone

SECURITY = (
    "Toegang per functie volgens de autorisatiematrix en alleen bij een relatie met de werknemer; "
    "tweestapsverificatie; versleuteling van BSN, teksten en medische gegevens (AES-256-GCM, medische "
    "gegevens met een sleutel per persoon); elke inzage en wijziging in een hash-geketend logboek (NEN 7513); "
    "geheimhoudingsverklaring voor elke medewerker; periodieke autorisatiereview."
)

EMPLOYEES = ("Werknemers van klanten", "Employees of client employers")
EMPLOYER = ("Werkgever (opdrachtgever)", "The employer (client)")
EMPLOYEE = ("De werknemer zelf", "The employee")

ACTIVITIES = [
    {
        "code": "registratie-werknemers",
        "name": ("Registratie van werknemers", "Registration of employees"),
        "purpose": (
            "De registratie van werknemers in ons systeem, het kunnen communiceren met werknemers, de juiste begeleiding bij geslacht en leeftijd, en de uitwisseling met overheidsinstellingen (BSN).",
            "Registering employees in our system, communicating with them, giving guidance suited to gender and age, and exchanging data with government bodies (citizen service number).",
        ),
        "legal_ground": "legal_obligation",
        "legal_basis": ("Arbeidsomstandighedenwet art. 14 lid 1; Wet verbetering poortwachter.", "Working Conditions Act art. 14(1); Gatekeeper Improvement Act (Wet verbetering poortwachter)."),
        "data_subjects": EMPLOYEES,
        "data_description": (
            "Naam, voornamen, voorletters, adres, postcode, woonplaats, telefoonnummer, e-mailadres, functie, geslacht, geboortedatum, BSN, dienstverband en personeelsnummer.",
            "Name, first names, initials, address, postcode, town, phone number, e-mail address, job, gender, date of birth, citizen service number (BSN), employment and personnel number.",
        ),
        "categories": ["A", "D"],
        "covers": ["registry.employee", "registry.employment", "registry.rosterimport", "registry.applicant"],
        "origin": EMPLOYER,
        "recipients": ("De werkgever (alleen categorie A en D van eigen werknemers); UWV waar de wet dat vraagt.", "The employer (only categories A and D of its own employees); the UWV where the law requires it."),
        "retention": ("2 jaar na einde dienstverband of einde begeleiding.", "2 years after the end of employment or of guidance."),
        "retention_rule": "registry.employee",
    },
    {
        "code": "verzuimbegeleiding",
        "name": ("Verzuimbegeleiding en verzuimadministratie", "Absence guidance and absence administration"),
        "purpose": (
            "Het kunnen (laten) uitvoeren van de verplichtingen van de werkgever bij ziekte: ziek- en herstelmeldingen, termijnen van de Wet verbetering poortwachter, signalen.",
            "Enabling the employer to meet its obligations during sickness: sick and recovery reports, the deadlines of the Gatekeeper Improvement Act, reminders.",
        ),
        "legal_ground": "legal_obligation",
        "legal_basis": ("Wet verbetering poortwachter; BW 7:629 (loondoorbetaling); Ziektewet.", "Gatekeeper Improvement Act; Civil Code 7:629 (continued payment of wages); Sickness Benefits Act."),
        "data_subjects": EMPLOYEES,
        "data_description": (
            "Eerste ziektedag, verwachte duur, verblijfadres en telefoon tijdens ziekte, (gedeeltelijk) herstel, arbeidstherapie, of (niet welke) vangnetregeling van toepassing is, of er een aansprakelijke derde is, termijnen en signalen.",
            "First day of sickness, expected duration, address and phone during sickness, (partial) recovery, therapeutic work, whether (not which) a safety-net scheme applies, whether a liable third party is involved, deadlines and reminders.",
        ),
        "categories": ["A", "B", "D"],
        "covers": [
            "absence.absencecase", "absence.sickperiod", "absence.recoveryreport", "absence.therapeuticwork",
            "absence.reportchange", "absence.milestone", "absence.signal",
        ],
        "origin": (
            "Werkgever en werknemer",
            "The employer and the employee",
        ),
        "recipients": ("De werkgever (categorie A); UWV bij de 42e-weeksmelding; de verzuimverzekeraar waar de werkgever verzekerd is.", "The employer (category A); the UWV with the 42nd-week notice; the absence insurer where the employer is insured."),
        "retention": ("2 jaar na afronding van de verzuimbegeleiding (Beleidsregels de zieke werknemer, AP 2016).", "2 years after the absence guidance ended (AP policy rules on the sick employee, 2016)."),
        "retention_rule": "absence.case",
    },
    {
        "code": "wvp-dossier",
        "name": ("Re-integratiedossier (Wet verbetering poortwachter)", "Re-integration file (Gatekeeper Improvement Act)"),
        "purpose": (
            "Het kunnen voldoen aan de wettelijke verplichtingen over re-integratie en goede begeleiding: probleemanalyse, plan van aanpak, evaluaties, re-integratieverslag, adviezen en de functionele mogelijkhedenlijst.",
            "Meeting the legal obligations on re-integration and good guidance: problem analysis, plan of approach, evaluations, re-integration report, advice and the functional abilities list.",
        ),
        "legal_ground": "legal_obligation",
        "legal_basis": ("Wet verbetering poortwachter; Regeling procesgang eerste en tweede ziektejaar.", "Gatekeeper Improvement Act; Regulation on the procedure in the first and second year of sickness."),
        "data_subjects": EMPLOYEES,
        "data_description": (
            "Visie van de bedrijfsarts, beperkingen en mogelijkheden, probleemanalyse, plan van aanpak en overige re-integratieverplichtingen, adviezen na een consult, instemming van de werknemer met een rapportage.",
            "The company doctor's view, limitations and abilities, problem analysis, plan of approach and other re-integration obligations, advice after a consultation, the employee's consent to a report.",
        ),
        "categories": ["A", "B", "D"],
        "covers": [
            "absence.casedocument", "absence.documentversion", "medical.consultationadvice",
            "medical.functionalabilities", "medical.employerreportconsent",
        ],
        "origin": (
            "Bedrijfsarts en casemanager",
            "The company doctor and the case manager",
        ),
        "recipients": ("De werkgever na vrijgave (waar de wet dat zegt, pas nadat de werknemer het heeft kunnen lezen); UWV bij het re-integratieverslag.", "The employer after release (where the law says so, only after the employee could read it); the UWV with the re-integration report."),
        "retention": ("2 jaar na afronding van de verzuimbegeleiding.", "2 years after the absence guidance ended."),
        "retention_rule": "absence.documents",
    },
    {
        "code": "medisch-dossier",
        "name": ("Medisch dossier van de bedrijfsarts", "The company doctor's medical file"),
        "purpose": (
            "Het kunnen bieden van de juiste begeleiding aan de werknemer met als doel spoedig herstel of re-integratie: spreekuren, medische aantekeningen, brieven en informatie van behandelaars.",
            "Giving the employee the right guidance towards quick recovery or re-integration: consultations, medical notes, letters and information from treating practitioners.",
        ),
        "legal_ground": "legal_obligation",
        "legal_basis": ("Arbeidsomstandighedenwet art. 14 lid 1; WGBO (BW 7:454); UAVG art. 30 lid 1 (gezondheidsgegevens door de arbodienst).", "Working Conditions Act art. 14(1); Medical Treatment Contracts Act (Civil Code 7:454); GDPR Implementation Act art. 30(1) (health data processed by the occupational health service)."),
        "data_subjects": EMPLOYEES,
        "data_description": (
            "(Para)medische gegevens over de mentale en fysieke gezondheid, redenen van verzuim, diagnose(s) met CAS/ICD-10-code, medicatie, medische historie, aantekeningen, brieven en antwoorden van behandelaars, toestemmingen om informatie op te vragen, spreekuurafspraken.",
            "(Para)medical data on mental and physical health, reasons for absence, diagnoses with CAS/ICD-10 code, medication, medical history, notes, letters and answers from treating practitioners, consents to request information, consultation appointments.",
        ),
        "categories": ["A", "B", "C", "D"],
        "covers": [
            "medical.consultation", "medical.consultationslot", "medical.datakey", "medical.incomingdocument",
            "medical.informationconsent", "medical.informationrequest", "medical.medicalnote",
            "registry.practitioner", "journal.journalentry",
        ],
        "origin": (
            "De werknemer, de bedrijfsarts en (met toestemming) behandelaars",
            "The employee, the company doctor and (with consent) treating practitioners",
        ),
        "recipients": ("Alleen de behandelend bedrijfsarts en wie onder diens verantwoordelijkheid werkt; niet de werkgever. Behandelaars alleen met toestemming.", "Only the treating company doctor and those working under their responsibility; never the employer. Treating practitioners only with consent."),
        "retention": ("20 jaar na de laatste wijziging (WGBO art. 7:454), langer bij een beroepsziekte.", "20 years after the last change (Medical Treatment Contracts Act art. 7:454), longer with an occupational disease."),
        "retention_rule": "medical.file",
    },
    {
        "code": "preventie",
        "name": ("Preventief medisch onderzoek en blootstellingsregisters", "Preventive medical examinations and exposure registers"),
        "purpose": (
            "Het (preventief medisch) toetsen van werknemers, het arbeidsomstandighedenspreekuur, en het bijhouden van blootstelling aan kankerverwekkende stoffen, biologische agentia en ioniserende straling.",
            "Preventive medical examinations of employees, the working-conditions consultation, and keeping records of exposure to carcinogenic substances, biological agents and ionising radiation.",
        ),
        "legal_ground": "legal_obligation",
        "legal_basis": ("Arbeidsomstandighedenwet art. 18; Arbeidsomstandighedenbesluit art. 4.10c; WGBO.", "Working Conditions Act art. 18; Working Conditions Decree art. 4.10c; Medical Treatment Contracts Act."),
        "data_subjects": EMPLOYEES,
        "data_description": (
            "Uitslagen en adviezen van periodieke onderzoeken, blootstellingen (soort, periode, afdeling, agens en bron).",
            "Results and advice of periodic examinations, exposures (kind, period, department, agent and source).",
        ),
        "categories": ["B", "C", "D"],
        "covers": ["prevention.periodicexam", "prevention.exposurerecord"],
        "origin": EMPLOYEE,
        "recipients": ("Niemand buiten de bedrijfsarts; de werkgever hoort niet eens dat een onderzoek plaatsvond.", "Nobody outside the company doctor; the employer does not even learn that an examination took place."),
        "retention": ("40 jaar na blootstelling aan kankerverwekkende stoffen en bepaalde biologische agentia (anders 10 jaar); ioniserende straling 30 jaar en tot 75 jaar.", "40 years after exposure to carcinogenic substances and certain biological agents (otherwise 10 years); ionising radiation 30 years and until age 75."),
        "retention_rule": "prevention.exposure",
    },
    {
        "code": "aanstellingskeuring",
        "name": ("Aanstellingskeuringen", "Pre-employment examinations"),
        "purpose": (
            "Het kunnen beoordelen of een kandidaat geschikt is voor een functie met bijzondere eisen.",
            "Assessing whether a candidate is fit for a job with special requirements.",
        ),
        "legal_ground": "legal_obligation",
        "legal_basis": ("Wet op de medische keuringen; Arbeidsomstandighedenwet art. 14.", "Medical Examinations Act; Working Conditions Act art. 14."),
        "data_subjects": ("Sollicitanten", "Applicants"),
        "data_description": (
            "Naam, geboortedatum, contactgegevens, de functie, de uitslag en het advies van de keuring.",
            "Name, date of birth, contact details, the job, the result and advice of the examination.",
        ),
        "categories": ["C", "D"],
        "covers": ["prevention.preemploymentexam", "prevention.applicantdatakey"],
        "origin": ("Sollicitant en werkgever", "The applicant and the employer"),
        "recipients": ("De werkgever alleen 'geschikt / niet geschikt', en alleen met toestemming van de sollicitant (blokkeringsrecht).", "The employer only 'fit / not fit', and only with the applicant's consent (right to block)."),
        "retention": ("6 maanden.", "6 months."),
        "retention_rule": "prevention.preemployment",
    },
    {
        "code": "klachten",
        "name": ("Klachten", "Complaints"),
        "purpose": (
            "Het behandelen van klachten volgens de wettelijke klachtenregeling (Wkkgz) en van klachten over de omgang met persoonsgegevens.",
            "Handling complaints under the statutory complaints procedure (Wkkgz) and complaints about the handling of personal data.",
        ),
        "legal_ground": "legal_obligation",
        "legal_basis": ("Wet kwaliteit, klachten en geschillen zorg art. 13; Arbeidsomstandighedenbesluit art. 2.14e.", "Healthcare Quality, Complaints and Disputes Act art. 13; Working Conditions Decree art. 2.14e."),
        "data_subjects": ("Werknemers en andere klagers", "Employees and other complainants"),
        "data_description": (
            "Naam en contactgegevens van de klager, de klacht, over wie zij gaat, de behandeling en het oordeel.",
            "The complainant's name and contact details, the complaint, whom it is about, its handling and the decision.",
        ),
        "categories": ["B", "D"],
        "covers": ["privacy.complaint", "privacy.complaintsignal"],
        "origin": ("De klager", "The complainant"),
        "recipients": ("De klachtenfunctionaris en de privacy officer; bij een geschil de geschilleninstantie.", "The complaints officer and the privacy officer; in a dispute, the disputes body."),
        "retention": ("2 jaar na afhandeling.", "2 years after the decision."),
        "retention_rule": "privacy.complaint",
    },
    {
        "code": "datalekken",
        "name": ("Register van datalekken", "Register of data breaches"),
        "purpose": (
            "Het registreren en afhandelen van datalekken, het melden aan de Autoriteit Persoonsgegevens en het informeren van betrokkenen.",
            "Registering and handling data breaches, notifying the Dutch Data Protection Authority and informing the people concerned.",
        ),
        "legal_ground": "legal_obligation",
        "legal_basis": ("AVG art. 33 en 34.", "GDPR art. 33 and 34."),
        "data_subjects": ("Werknemers van wie gegevens bij een datalek betrokken zijn; de melder", "Employees whose data a breach concerns; the reporter"),
        "data_description": (
            "Wat er gebeurde, welke gegevens, wie betrokken is, de beoordeling en de maatregelen; brieven aan betrokkenen in het portaal.",
            "What happened, which data, who is concerned, the assessment and the measures; letters to the people concerned in the portal.",
        ),
        "categories": ["A", "D"],
        "covers": ["privacy.breach", "privacy.breachaffectedperson", "privacy.breachsignal", "portal.inboxmessage"],
        "origin": ("Medewerkers van de arbodienst", "Staff of the occupational health service"),
        "recipients": ("De Autoriteit Persoonsgegevens waar melding verplicht is.", "The Dutch Data Protection Authority where notification is required."),
        "retention": ("5 jaar na afsluiting.", "5 years after closing."),
        "retention_rule": "privacy.breach",
    },
    {
        "code": "accounts-en-logboek",
        "name": ("Gebruikersaccounts, logboek en ondersteuning door leveranciers", "User accounts, the audit log and supplier support"),
        "purpose": (
            "Het beveiligen van de toegang: accounts, functies, inzage in het logboek (NEN 7513), beheer van het verwerkingsregister, en tijdelijke toegang voor leveranciers om problemen te verhelpen.",
            "Securing access: accounts, functions, the audit log (NEN 7513), keeping the register of processing, and temporary access for suppliers to solve problems.",
        ),
        "legal_ground": "legal_obligation",
        "legal_basis": ("AVG art. 32; NEN 7510 en NEN 7513.", "GDPR art. 32; NEN 7510 and NEN 7513."),
        "data_subjects": ("Medewerkers, gebruikers bij werkgevers, werknemers met een portaalaccount, medewerkers van leveranciers", "Staff, employer users, employees with a portal account, suppliers' engineers"),
        "data_description": (
            "Naam, gebruikersnaam, e-mailadres, functies, inloggegevens, IP-adres, wie wanneer welke gegevens inzag of wijzigde.",
            "Name, username, e-mail address, functions, login data, IP address, who saw or changed which data when.",
        ),
        "categories": ["D"],
        "covers": ["privacy.activitychange", "privacy.supportengineer", "privacy.supportwindow"],
        "origin": ("De gebruikers zelf en het systeem", "The users and the system"),
        "recipients": ("De privacy officer; de betrokkene ziet wie zijn dossier inzag.", "The privacy officer; the data subject sees who accessed their file."),
        "retention": ("Logboek ten minste 5 jaar, nooit langer dan het dossier dat het beschrijft.", "The audit log at least 5 years, never longer than the file it describes."),
        "retention_rule": "audit.log",
    },
    {
        "code": "onderzoek",
        "name": ("Wetenschappelijk en statistisch onderzoek", "Scientific and statistical research"),
        "purpose": (
            "Het verrichten van wetenschappelijk, statistisch en kwalitatief onderzoek, alleen met geanonimiseerde of gepseudonimiseerde gegevens.",
            "Scientific, statistical and quality research, only with anonymised or pseudonymised data.",
        ),
        "legal_ground": "consent",
        "legal_basis": ("Toestemming waar herleidbaar; anders WGBO art. 7:458.", "Consent where data can be traced to a person; otherwise Medical Treatment Contracts Act art. 7:458."),
        "data_subjects": EMPLOYEES,
        "data_description": ("Niet tot personen herleidbare groepsgegevens.", "Group data that cannot be traced to a person."),
        "categories": ["A"],
        "covers": [],
        "origin": ("Het eigen dossier, geanonimiseerd", "Our own files, anonymised"),
        "recipients": ("Onderzoekers, alleen geanonimiseerd.", "Researchers, anonymised only."),
        "retention": ("Zolang het onderzoek duurt.", "As long as the research lasts."),
        "retention_rule": "",
    },
    {
        "code": "klanten-en-leveranciers",
        "name": ("Klanten en leveranciers", "Clients and suppliers"),
        "purpose": (
            "Het opstellen en beheren van overeenkomsten, facturen en het communiceren met klanten en leveranciers.",
            "Drawing up and managing agreements and invoices, and communicating with clients and suppliers.",
        ),
        "legal_ground": "contract",
        "legal_basis": ("Uitvoering van de overeenkomst; Algemene wet inzake rijksbelastingen art. 52.", "Performance of the contract; General State Taxes Act art. 52."),
        "data_subjects": ("Contactpersonen van klanten en leveranciers", "Contact persons of clients and suppliers"),
        "data_description": ("Naam, adres, telefoon, e-mail, functie; contracten en facturen.", "Name, address, phone, e-mail, job; contracts and invoices."),
        "categories": ["D"],
        "covers": ["privacy.processor"],
        "origin": ("Klanten en leveranciers", "Clients and suppliers"),
        "recipients": ("De Belastingdienst waar de wet dat vraagt.", "The Tax Administration where the law requires it."),
        "retention": ("7 jaar (fiscale bewaarplicht).", "7 years (tax retention duty)."),
        "retention_rule": "finance",
    },
]

BILINGUAL = ("name", "purpose", "legal_basis", "data_subjects", "data_description", "origin", "recipients", "retention")

OFFICE = {
    "name": "Arbodienst Arbodossier B.V.",
    "address": "Postbus 1234, 3500 AA Utrecht",
    "kvk_number": "00000000",
    "fg_name": "De functionaris gegevensbescherming",
    "fg_email": "privacy@arbodossier.example",
    "fg_phone": "030 123 45 67",
    "complaints_email": "klachten@arbodossier.example",
}


def seed(apps, schema_editor):
    Activity = apps.get_model("privacy", "ProcessingActivity")
    Version = apps.get_model("privacy", "StatementVersion")
    rows = []
    for order, spec in enumerate(ACTIVITIES, start=1):
        fields = {"code": spec["code"], "order": order, "legal_ground": spec["legal_ground"],
                  "categories": spec["categories"], "covers": spec["covers"],
                  "retention_rule": spec["retention_rule"], "security_measures": SECURITY}
        for name in BILINGUAL:
            fields[name], fields[f"{name}_en"] = spec[name]
        rows.append(Activity.objects.create(**fields))
    # The first statement, in the snapshot format of arbo.privacy.register.statement (format 1).
    snapshot = {
        "format": 1,
        "office": OFFICE,
        "activities": [
            {"code": a.code, "legal_ground": a.legal_ground, "categories": a.categories,
             **{name: {"nl": getattr(a, name), "en": getattr(a, f"{name}_en")} for name in BILINGUAL}}
            for a in rows
        ],
        "processors": [],
    }
    now = timezone.now()
    Version.objects.create(number=1, effective_on=now.date(), published_at=now, reason="Eerste versie", snapshot=snapshot)


def unseed(apps, schema_editor):
    apps.get_model("privacy", "StatementVersion").objects.all().delete()
    apps.get_model("privacy", "ProcessingActivity").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("privacy", "0003_register_processors")]
    operations = [migrations.RunPython(seed, unseed)]
