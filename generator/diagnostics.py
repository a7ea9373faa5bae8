"""Diagnostics: every problem the checker can report, with a stable code.

All coordinator-facing wording lives in CODES below, in Danish, so a reader finds every message
in one place and the coordinator guide (docs/koordinator/fejlkoder.md) can be checked against it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterable, NamedTuple

ERROR = "error"
WARNING = "warning"


class Pos(NamedTuple):
    """A place in a source file. A tuple, because the loader makes one for every value."""

    file: str  # relative to the catalogue root, forward slashes
    line: int  # 1-based
    column: int  # 1-based

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Rule:
    severity: str
    title: str  # short Danish name, used in the guide and in --format github
    message: str  # str.format template
    hint: str = ""


CODES: dict[str, Rule] = {
    # Structure: the file cannot be read as YAML.
    "Y001": Rule(ERROR, "YAML-syntaksfejl", "Filen kan ikke læses som YAML: {reason}.",
                 "Se på linjen og linjen over. Indrykning skal være mellemrum, og tekst med kolon "
                 "eller # skal stå i anførselstegn."),
    "Y002": Rule(ERROR, "Tabulator i indrykning", "Linjen er rykket ind med en tabulator.",
                 "YAML kræver mellemrum. Slå 'indsæt mellemrum ved tab' til i din editor, og "
                 "erstat tabulatoren med mellemrum."),
    "Y003": Rule(ERROR, "Tom fil", "Filen er tom.",
                 "Udfyld filen, eller slet den. 'catalogue new' laver en skabelon."),
    "Y004": Rule(ERROR, "Forkert øverste niveau", "Filen skal bestå af felter (navn: værdi), "
                 "men den er {found}.",
                 "Start filen med fx 'title: ...' uden bindestreg foran."),
    "Y005": Rule(ERROR, "Dobbelt felt", "Feltet '{key}' står to gange (første gang i linje "
                 "{first_line}).",
                 "Slet det ene. Kun det første ville ellers blive brugt."),
    "Y006": Rule(ERROR, "Ikke UTF-8", "Filen er ikke gemt som UTF-8: {detail}.",
                 "Gem filen som UTF-8 i din editor (ofte under 'Gem som' > 'Kodning')."),
    "Y007": Rule(ERROR, "Fil for stor", "Filen fylder mere end {limit} bytes.",
                 "En kursusfil er normalt under 20.000 bytes. Del indholdet op, eller fjern "
                 "indsat materiale."),
    "Y008": Rule(ERROR, "For mange værdier", "Filen folder sig ud til mere end {limit} "
                 "værdier, fx via gentagne ankre (&) og aliaser (*).",
                 "Skriv værdierne ud i stedet for at bruge aliaser."),
    "Y009": Rule(ERROR, "Ukendt YAML-mærke", "Mærket '{tag}' er ikke tilladt.",
                 "Fjern mærket (det der starter med !). Kataloget bruger kun almindelig tekst, "
                 "tal, datoer, lister og felter."),
    "Y010": Rule(ERROR, "Flere dokumenter", "Filen indeholder mere end ét YAML-dokument (---).",
                 "Ét kursus, én underviser eller én skole pr. fil. Flyt resten til en ny fil."),
    "Y011": Rule(ERROR, "Fil kan ikke læses", "Filen kan ikke åbnes: {reason}.", ""),
    # Schema: the fields and their types.
    "S101": Rule(ERROR, "Manglende felt", "Felt{s} {fields} mangler{where}.", "{hint}"),
    "S102": Rule(ERROR, "Forkert type", "'{field}' skal være {expected}, men er {found}.",
                 "{hint}"),
    "S103": Rule(ERROR, "Ugyldig værdi", "'{value}' er ikke en gyldig værdi for '{field}'. "
                 "Tilladte værdier: {allowed}.", "{hint}"),
    "S104": Rule(ERROR, "Ukendt felt", "Feltet '{field}' findes ikke{where}.", "{hint}"),
    "S105": Rule(ERROR, "Ugyldigt id", "'{value}' er ikke et gyldigt id.",
                 "Et id må kun have små bogstaver a-z, tal og bindestreger og højst 60 tegn, fx "
                 "'{suggestion}'. Skriv æ som ae, ø som oe og å som aa."),
    "S106": Rule(ERROR, "Tom liste", "'{field}' skal have mindst {minimum} punkt.", "{hint}"),
    "S107": Rule(ERROR, "Ugyldig kontaktoplysning", "'{value}' er ikke {expected}.", "{hint}"),
    "S108": Rule(ERROR, "Gentaget værdi", "'{value}' står mere end én gang i '{field}'.",
                 "Slet den ene."),
    "S110": Rule(ERROR, "Ingen kontaktoplysning", "'contact' skal have mindst en e-mail eller et "
                 "telefonnummer.", "Skriv fx 'contact: {{email: kontakt@eksempel.dk}}'."),
    "S109": Rule(ERROR, "Tal uden for grænsen", "'{field}' skal være mindst {minimum}, men er "
                 "{value}.", ""),
    "S111": Rule(ERROR, "Ugyldigt tegn i tekst", "{field} indeholder {character}{where}.",
                 "{hint}"),
    "S112": Rule(ERROR, "For lang tekst", "'{field}' har {length} tegn, men en tekst på én linje "
                 "må højst have {limit}.",
                 "Skriv en kortere tekst. Længere forklaringer hører til i 'description'."),
    "S115": Rule(ERROR, "Aldersgrænser i forkert rækkefølge", "'min_age' er {low}, men "
                 "'max_age' er {high}.", "Den laveste alder skal stå i 'min_age' og den højeste "
                 "i 'max_age'. Byt om på dem?"),
    "S113": Rule(ERROR, "Ukendt sprog", "'{value}' er ikke en sprogkode, kataloget kender.",
                 "{hint}"),
    "S114": Rule(ERROR, "Ugyldig landekode", "'{value}' er ikke en landekode.",
                 "Skriv landet som to store bogstaver (ISO 3166), fx 'DK' for Danmark, 'GB' for "
                 "Storbritannien eller 'SE' for Sverige."),
    "S116": Rule(ERROR, "Tal for stort", "'{field}' må højst være {maximum}, men er {value}.",
                 "Tjek tallet. Grænsen ligger langt over, hvad et rigtigt hold har brug for."),
    "S117": Rule(ERROR, "For mange punkter", "'{field}' har {length} punkter, men højst "
                 "{maximum} er tilladt.", "Del det op, fx i flere hold, eller slet de punkter, "
                 "der ikke længere gælder."),
    "S118": Rule(ERROR, "Dato uden for rækkevidde", "'{value}' ligger uden for årene {first}-"
                 "{last}.", "Tjek årstallet; kataloget tager kun datoer fra {first} til {last}."),
    "S119": Rule(ERROR, "For lang tekst", "'{field}' har {length} tegn, men højst {limit} er "
                 "tilladt.", "Skriv en kortere tekst, eller tjek, at der ikke er sat noget "
                 "ind ved en fejl."),
    # Time: dates, times and their order.
    "T201": Rule(ERROR, "Ugyldig dato", "'{value}' er ikke en rigtig dato.",
                 "Skriv datoen som ÅÅÅÅ-MM-DD, fx 2027-02-03, og tjek at dagen findes."),
    "T202": Rule(ERROR, "Ugyldigt klokkeslæt", "'{value}' er ikke et rigtigt klokkeslæt.",
                 "Skriv klokkeslættet som TT:MM i anførselstegn, fx \"10:00\"."),
    "T203": Rule(ERROR, "Slut før start", "Undervisningsgangen slutter kl. {end}, men "
                 "starter først kl. {start}.",
                 "Slut skal ligge efter start samme dag. Byt om på 'start' og 'end'?"),
    "T204": Rule(ERROR, "Gange i forkert rækkefølge", "Undervisningsgangen {this} begynder, "
                 "før den forrige ({previous}) er slut.",
                 "Skriv undervisningsgangene i den rækkefølge, de finder sted, og tjek datoerne."),
    "T205": Rule(ERROR, "Tilmeldingsfrist efter start", "Tilmeldingsfristen {deadline} ligger "
                 "efter første undervisningsgang {first}.",
                 "Sæt fristen til senest {first}."),
    "T206": Rule(ERROR, "Tilmelding åbner efter fristen", "Tilmeldingen åbner {opens}, men "
                 "fristen er {deadline}.", "'opens' skal ligge før 'deadline'."),
    "T207": Rule(WARNING, "Overstået hold står som åbent", "Alle undervisningsgange er "
                 "overstået (sidste {last}), men status er stadig 'open'.",
                 "Sæt status til 'full', så ingen tror, der er ledige pladser (overståede hold "
                 "vises uden status), eller slet holdet, når det er evalueret."),
    "T208": Rule(WARNING, "Dato langt ude i fremtiden", "Datoen {date} ligger mere end 18 "
                 "måneder ude i fremtiden (efter {limit}).", "{hint}"),
    "T209": Rule(ERROR, "Gentagelsen slutter før den starter", "'until' ({until}) ligger før "
                 "'from' ({first}).", "Tjek datoerne. 'from' er den første mulige dato og "
                 "'until' den sidste. Et fortløbende hold har ingen 'until'."),
    "T210": Rule(ERROR, "Undtagelse uden for mønsteret", "{value} under 'except' er ikke en "
                 "af holdets datoer.", "En undtagelse skal være en dag, holdet ellers ville "
                 "mødes, fx en mandag for et mandagshold. Tjek datoen, eller slet den."),
    "T211": Rule(ERROR, "Mønsteret giver ingen datoer", "'recurrence' giver ingen "
                 "undervisningsgange.", "Tjek 'weekday', 'from' og 'until': ligger ugedagen "
                 "slet ikke i perioden, eller er alle datoer undtaget?"),
    "T212": Rule(ERROR, "Både sessions og recurrence", "Holdet har både 'sessions' og "
                 "'recurrence'.", "Brug 'sessions' til enkelte datoer og 'recurrence' til et "
                 "hold, der gentager sig. Ekstra datoer skrives under 'extra' i 'recurrence'."),
    "T213": Rule(ERROR, "Uklart mønster", "{what}.", "{hint}"),
    "T214": Rule(ERROR, "Afrejse før ankomst", "'end_date' ({end}) ligger før 'date' "
                 "({start}).", "'date' er ankomstdagen og 'end_date' afrejsedagen. Byt om på "
                 "dem?"),
    "T215": Rule(ERROR, "Klokkeslættet findes ikke", "Kl. {time} den {date} findes ikke: "
                 "natten til sommertid springer uret fra 02.00 til 03.00 ({zone}).",
                 "Flyt tidspunktet til før kl. 02.00 eller efter kl. 03.00 den dag."),
    "T216": Rule(WARNING, "Klokkeslættet findes to gange", "Kl. {time} den {date} findes to "
                 "gange: natten til vintertid stilles uret tilbage fra 03.00 til 02.00 "
                 "({zone}).", "Kalendere vælger ét af de to tidspunkter. Flyt tidspunktet til "
                 "før kl. 02.00 eller efter kl. 03.00 den dag, så ingen er i tvivl."),
    "T217": Rule(ERROR, "For mange datoer", "'recurrence' giver {count} undervisningsgange, "
                 "men et hold må højst have {maximum}.", "{hint}"),
    "T218": Rule(WARNING, "Gentagelsen startede for længe siden", "'from' ({first}) ligger "
                 "mere end 18 måneder før i dag ({today}).", "Siden og de åbne data viser "
                 "hver dato fra 'from'. Skriv en nyere 'from', fx starten af dette semester "
                 "({suggestion}), hvis holdet har kørt længe."),
    # References: ids that must exist.
    "R301": Rule(ERROR, "Ukendt underviser", "Der findes ingen underviser med id '{value}'.",
                 "{hint}"),
    "R302": Rule(ERROR, "Ukendt skole", "Der findes ingen skole med id '{value}'.", "{hint}"),
    "R303": Rule(ERROR, "Ukendt sted", "Der findes intet sted (venue) med id '{value}'.",
                 "{hint}"),
    "R304": Rule(ERROR, "Ukendt tema", "Der findes intet tema med id '{value}'.", "{hint}"),
    "R305": Rule(ERROR, "Ukendt materiale", "Der findes intet materiale med id '{value}'.",
                 "{hint}"),
    "R306": Rule(ERROR, "Id bruges to gange", "{kind} '{value}' er allerede defineret i "
                 "{other}.", "Et id skal være unikt i hele kataloget. Giv det ene et andet id."),
    "R307": Rule(ERROR, "Ukendt lokale", "Stedet '{venue}' har intet lokale, der hedder "
                 "'{value}'.", "{hint}"),
    # Co-production.
    "C401": Rule(ERROR, "Ingen med erfaringskompetence", "Holdets undervisere ({team}) har "
                 "ingen peer-underviser eller pårørende-underviser.",
                 "Alle kurser undervises af en med egen erfaring sammen med en fagprofessionel. "
                 "Tilføj en underviser med rollen 'peer' eller 'relative', eller sæt "
                 "'co_production_required: false' på skolen, hvis det er en ekstern udbyder."),
    "C402": Rule(ERROR, "Ingen fagprofessionel", "Holdets undervisere ({team}) har ingen "
                 "fagprofessionel ved siden af den, der har erfaringskompetencen.",
                 "Tilføj en underviser med rollen 'professional'. Det skal være en anden person "
                 "end peer-underviseren."),
    "C403": Rule(ERROR, "Intet underviserteam", "Holdet har ingen undervisere.",
                 "Skriv 'teachers:' på kurset eller på holdet."),
    "C404": Rule(ERROR, "Mangler begrundelse for ledelsesformen", "Kurset eller holdet står "
                 "som '{form}', men der er ingen begrundelse i 'led_by_reason'.",
                 "Skriv kort og i almindelige ord, hvorfor det ikke er samskabt, fx 'En gruppe "
                 "for og af mennesker med egen erfaring'. Teksten vises på siden."),
    "C405": Rule(ERROR, "Ledelsesformen er ikke tilladt", "Skolen '{school}' tillader ikke "
                 "'{form}' (tilladt: {allowed}).",
                 "Samskabelse er reglen. Skolen kan tillade andre former med "
                 "'led_by_allowed: [{form}]' i skolens fil, hvis det er aftalt."),
    "C406": Rule(ERROR, "Ledelsesformen passer ikke med underviserne", "Holdet står som "
                 "'{form}', men ingen af underviserne ({team}) har rollen '{role}'.",
                 "Tilføj en underviser med rollen '{role}', eller ret 'led_by'."),
    # Booking.
    "B501": Rule(ERROR, "Underviser dobbeltbooket", "{teacher} underviser {date} kl. "
                 "{time} både her og i {other}.",
                 "Flyt en af undervisningsgangene, eller find en anden underviser. Fejlen står "
                 "ved begge undervisningsgange; ret den ene, så forsvinder begge."),
    "B502": Rule(ERROR, "Lokale dobbeltbooket", "{room} er optaget {date} kl. {time} "
                 "af {other}.", "Vælg et andet lokale ('room') eller et andet tidspunkt. Fejlen "
                 "står ved begge undervisningsgange; ret den ene, så forsvinder begge."),
    # Offering status and sign-up.
    "O601": Rule(ERROR, "Mangler begrundelse", "Et hold med status '{status}' skal have en "
                 "begrundelse i 'status_note'.",
                 "Skriv kort, hvorfor holdet er aflyst eller udsat, og hvad kursisterne kan gøre."),
    "O602": Rule(ERROR, "Ingen måde at tilmelde sig", "Holdet kræver tilmelding, men der er "
                 "hverken e-mail, link eller telefon at tilmelde sig på.",
                 "Skriv 'email', 'url' eller 'phone' under 'registration' på kurset eller "
                 "skolen, eller sæt 'required: false' for drop-in."),
    "O603": Rule(ERROR, "Holdnøgle bruges to gange", "Holdnøglen '{value}' bruges allerede af "
                 "et andet hold i samme kursus (linje {other}).", "{hint}"),
    "O604": Rule(ERROR, "Mangler sted", "Holdet er '{attendance}', men har intet 'venue'.",
                 "Skriv stedet i 'venue:'. Foregår holdet kun online, så skriv "
                 "'attendance: online' i stedet."),
    "O605": Rule(ERROR, "Onlineoplysning på et fremmødehold", "'{field}' står på et hold, der "
                 "ikke er online.", "Skriv 'attendance: online' eller 'attendance: hybrid', "
                 "hvis man kan deltage online, eller slet '{field}'."),
    "O606": Rule(ERROR, "Ledige pladser uden dato", "'places_left' har ingen dato i "
                 "'places_updated'.", "Skriv datoen, tallet sidst blev opdateret, fx "
                 "'places_updated: 2027-02-02'. Uden den kan siden ikke vide, om tallet passer."),
    "O607": Rule(ERROR, "Flere pladser end holdet har", "{what} ({value}) er flere end holdets "
                 "pladser ('capacity': {capacity}).", "Tjek tallene, eller skriv det rigtige "
                 "antal pladser i 'capacity'."),
    # Consent and privacy.
    "P701": Rule(ERROR, "Samtykke trukket tilbage før det blev givet", "'withdrawn' "
                 "({withdrawn}) ligger før samtykket ({given}).",
                 "Tjek datoerne. Er samtykket trukket tilbage, vises kun rollen."),
    "P702": Rule(WARNING, "Foto uden fotosamtykke", "Der er et foto, men intet "
                 "'consent.photo'. Fotoet bliver ikke vist.",
                 "Få et skriftligt, dateret samtykke til fotoet, eller fjern 'photo'."),
    "P703": Rule(WARNING, "Fotosamtykke uden profilsamtykke", "Der er samtykke til fotoet, men "
                 "ikke til profilen ('consent.profile'). Hverken navn eller foto bliver vist.",
                 "Tilføj datoen for profilsamtykket, hvis underviseren har givet det."),
    "P704": Rule(WARNING, "Samtykke i fremtiden", "Samtykkedatoen {date} ligger i fremtiden. "
                 "Profilen vises først fra den dag.", ""),
    "P705": Rule(WARNING, "Fotosamtykke uden foto", "Der er samtykke til et foto, men intet "
                 "'photo'.", "Tilføj filnavnet på fotoet under 'photo'."),
    # Content safety in Markdown.
    "H801": Rule(ERROR, "Script i tekst", "Teksten indeholder et <script>-element.",
                 "Fjern det. Tekster er Markdown; de må ikke køre kode på siden."),
    "H802": Rule(ERROR, "Hændelsesattribut i tekst", "Teksten indeholder '{found}', som kan "
                 "køre kode i browseren.", "Fjern attributten."),
    "H803": Rule(ERROR, "Farligt link", "Teksten indeholder et '{scheme}'-link.",
                 "Brug kun links, der starter med https://, mailto: eller tel:."),
    "H804": Rule(ERROR, "Indlejret side", "Teksten indeholder et <{element}>-element.",
                 "Indlejrede sider og objekter er ikke tilladt. Link til indholdet i stedet."),
    "H805": Rule(ERROR, "Tekst fra skabelonen", "'{field}' indeholder stadig skabelonens "
                 "tekst: \"{text}\"", "Slet skabelonens tekst, og skriv din egen: {what}"),
    "H806": Rule(ERROR, "Sideelement i tekst", "Teksten indeholder et <{element}>-element, som "
                 "virker på hele siden.", "Fjern det. Skriv teksten som almindelig Markdown; "
                 "skal den besøgende videre, så brug et link, der starter med https://."),
    # Guides (Markdown in guides/).
    "G001": Rule(ERROR, "Mangler front matter", "Materialet starter ikke med front matter "
                 "mellem to linjer med ---.",
                 "Start filen med '---', felterne title, summary, audience, version, license og "
                 "formats, og så '---' igen."),
    "G002": Rule(ERROR, "Ukendt kode", "[[{name}: ...]] er ikke en kode, materialer kan bruge.",
                 "Brug [[kurser: tema-id]], [[linjer: antal]] eller [[felt: Tekst]]."),
    "G003": Rule(ERROR, "Forkert værdi i kode", "'{value}' kan ikke bruges i [[{name}: ...]].",
                 "{hint}"),
    "G004": Rule(ERROR, "Billede fra en anden side", "Billedet '{value}' hentes fra en anden "
                 "side.", "Læg billedet i guides/ og skriv kun filnavnet. Billeder udefra "
                 "fortæller andre, hvem der læser siden."),
    # Brands (sites/<name>/brand.yaml).
    "M001": Rule(ERROR, "Ugyldig farve", "'{value}' er ikke en farve.",
                 "Skriv farven som #rrggbb, fx \"#0b5560\", i anførselstegn."),
    "M002": Rule(ERROR, "For lav kontrast", "{what}: kontrasten er {ratio}:1, men skal være "
                 "mindst 4,5:1.", "Den nærmeste farve, der består, er {suggestion}."),
    "M003": Rule(ERROR, "Adressen er ikke https", "'site_url' skal være en fuld adresse, der "
                 "starter med https://, men er '{value}'.",
                 "Skriv fx https://recoveryskolen.kommune.dk/ med / til sidst."),
    "M004": Rule(ERROR, "Adressen bruges to gange", "'{value}' er også adressen for {other}.",
                 "Hver udgave skal have sin egen adresse."),
    "M005": Rule(ERROR, "Mangler mkdocs.yml", "Mappen {folder} har en brand.yaml, men ingen "
                 "mkdocs.yml.", "Kopiér mkdocs.yml fra en af de andre mapper i sites/."),
    "M006": Rule(ERROR, "Logoet kan køre kode eller hente indhold", "'{file}' indeholder "
                 "{found}. Et logo må ikke kunne køre kode eller hente noget fra en anden side.",
                 "Gem logoet igen som et rent billede, fx i Inkscape med 'Gem som' > 'Optimeret "
                 "SVG' eller 'Almindelig SVG', eller brug en PNG. Spørg den, der har lavet "
                 "logoet, hvis du er i tvivl."),
    "M007": Rule(ERROR, "Logoet kan ikke læses", "'{file}' kan ikke læses som {kind}: {reason}.",
                 "Åbn filen i et tegne- eller billedprogram, og gem den igen som SVG eller PNG. "
                 "Filendelsen skal passe til indholdet."),
    "M008": Rule(ERROR, "Logoet er for stort", "'{file}' fylder {size}, men et logo må højst "
                 "fylde {limit}.", "Gem logoet mindre, fx som SVG eller som en PNG på højst "
                 "512 × 512 punkter."),
    # Importing offerings from a spreadsheet (catalogue import offerings).
    "I001": Rule(ERROR, "Fejl i en celle", "Kolonne '{column}': {what}.", "{hint}"),
    "I002": Rule(ERROR, "Fejl i kolonnerne", "{what}.",
                 "Første række skal være: course,offering,date,start,end,venue,teachers,"
                 "capacity,status. Se docs/koordinator/hold-skabelon.csv."),
    "I003": Rule(ERROR, "Ukendt kursus", "Der findes intet kursus med id '{value}'.", "{hint}"),
    "I004": Rule(ERROR, "Holdet findes allerede", "Kurset '{course}' har allerede et hold med "
                 "nøglen '{value}'.", "Giv holdet en ny nøgle i kolonnen 'offering', eller ret "
                 "holdet direkte i kursusfilen."),
    "I005": Rule(ERROR, "Uens oplysninger om et hold", "Kolonne '{column}' er '{value}' her, "
                 "men '{first}' i holdets første række.",
                 "Sted, undervisere, pladser og status skal være ens i alle rækker for samme hold."),
    # Files referred to from sources.
    "F901": Rule(ERROR, "Absolut sti", "Stien '{value}' er absolut.",
                 "Skriv filnavnet i forhold til mappen, fx '{suggestion}'."),
    "F902": Rule(ERROR, "Sti uden for kataloget", "Stien '{value}' peger uden for kataloget.",
                 "Læg filen i samme mappe som YAML-filen, og skriv kun filnavnet."),
    "F903": Rule(ERROR, "Fil findes ikke", "Filen '{value}' findes ikke.", "{hint}"),
    "F904": Rule(ERROR, "Forkert filtype", "'{value}' er ikke en tilladt filtype. Tilladte: "
                 "{allowed}.", ""),
    "F905": Rule(ERROR, "Ikke en almindelig fil", "'{value}' kan ikke bruges: {reason}.",
                 "Læg en almindelig fil med det navn i mappen, fx en kopi af billedet."),
    "F906": Rule(ERROR, "Billedet kan ikke læses", "'{value}' kan ikke læses som billede: "
                 "{reason}.", "Åbn billedet i et billedprogram, og gem det igen som JPG eller "
                 "PNG."),
    "F907": Rule(ERROR, "Forkert billedtype", "'{value}' er et {found}-billede, men navnet "
                 "ender på {suffix}.", "{hint}"),
    "F908": Rule(ERROR, "Billedet er for stort", "'{value}' er for stort: {reason}.",
                 "Gem en mindre udgave af billedet (fx 1000 punkter bred). Siden viser det "
                 "højst 384 punkter bredt."),
    # Files as a whole.
    "N004": Rule(WARNING, "Fil bliver ikke læst", "Filen bliver ikke læst: {reason}.",
                 "{hint}"),
    "N002": Rule(ERROR, "To filer med samme id", "Både '{value}' og '{other}' findes; de har "
                 "samme id.", "Slet den ene, eller giv den et andet navn."),
    "N001": Rule(ERROR, "Ugyldigt filnavn", "Filnavnet '{value}' er ikke et gyldigt id.",
                 "Omdøb filen til fx '{suggestion}.yaml': små bogstaver, tal og bindestreger, "
                 "højst 60 tegn."),
    "N003": Rule(WARNING, "Samme person i to filer", "'{name}' står også i {other}.",
                 "Er det den samme person, så slet den ene fil, og brug den andens id på "
                 "kurserne. Er det to personer med samme navn, så skriv fx et mellemnavn eller "
                 "et forbogstav mere i 'name', så I kan kende dem fra hinanden."),
}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    pos: Pos
    message: str
    hint: str = ""

    @property
    def severity(self) -> str:
        return CODES[self.code].severity

    def sort_key(self):
        # The message breaks ties: one session can clash with two others at the same position,
        # and the set the diagnostics pass through must not decide their order.
        return (self.pos.file, self.pos.line, self.pos.column, self.code, self.message)


def problem(code: str, pos, **values) -> Diagnostic:
    """A diagnostic. `pos` may be a function giving the position (Located.place): finding a
    position reads its file again, so a rule that may report defers it until it does."""
    if callable(pos):
        pos = pos()
    rule = CODES[code]
    values.setdefault("hint", "")
    values.setdefault("where", "")
    message = rule.message.format(**values)
    hint = rule.hint.format(**values) if rule.hint else ""
    return Diagnostic(code, pos, message, hint)


def count(diagnostics: Iterable[Diagnostic]) -> tuple[int, int]:
    """(errors, warnings)."""
    diagnostics = list(diagnostics)
    errors = sum(1 for d in diagnostics if d.severity == ERROR)
    return errors, len(diagnostics) - errors


def summary(diagnostics: list[Diagnostic], files: int) -> str:
    """The closing line; `files` is the number of source files checked."""
    errors, warnings = count(diagnostics)
    return (f"{errors} fejl, {warnings} {'advarsel' if warnings == 1 else 'advarsler'} "
            f"i {files_da(files)}")


def files_da(files: int) -> str:
    """'1 fil', '57 filer'."""
    return f"{files} {'fil' if files == 1 else 'filer'}"


_SEVERITY_DA = {ERROR: "fejl", WARNING: "advarsel"}


def format_text(diagnostics: list[Diagnostic], files: int) -> str:
    lines = []
    for d in diagnostics:
        lines.append(f"{d.pos}: {_SEVERITY_DA[d.severity]} {d.code}: {d.message}")
        if d.hint:
            lines.append(f"    tip: {d.hint}")
    lines.append(summary(diagnostics, files))
    return "\n".join(lines)


def format_json(diagnostics: list[Diagnostic], files: int) -> str:
    errors, warnings = count(diagnostics)
    return json.dumps({
        "diagnostics": [
            {"code": d.code, "severity": d.severity, "title": CODES[d.code].title,
             "file": d.pos.file, "line": d.pos.line, "column": d.pos.column,
             "message": d.message, "hint": d.hint}
            for d in diagnostics
        ],
        "errors": errors, "warnings": warnings, "files": files,
    }, ensure_ascii=False, indent=2)


def _escape_github(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def format_github(diagnostics: list[Diagnostic], files: int) -> str:
    lines = []
    for d in diagnostics:
        body = d.message + (f" Tip: {d.hint}" if d.hint else "")
        title = f"{d.code} {CODES[d.code].title}".replace(",", "%2C").replace("::", "%3A%3A")
        lines.append(f"::{d.severity} file={d.pos.file},line={d.pos.line},col={d.pos.column},"
                     f"title={title}::{_escape_github(body)}")
    lines.append(summary(diagnostics, files))
    return "\n".join(lines)
