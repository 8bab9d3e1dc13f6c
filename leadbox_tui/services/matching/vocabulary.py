"""The words that say something when matching, or say nothing: free mail domains, shared
mailboxes, nicknames and the full names they stand for, and words an organisation's name drops."""

from __future__ import annotations

from collections import defaultdict

FREE_MAIL_DOMAINS = frozenset(
    (
        # worldwide
        "gmail.com googlemail.com ymail.com rocketmail.com msn.com aol.com icloud.com me.com "
        "mac.com proton.me protonmail.com pm.me mail.com zoho.com fastmail.com tutanota.com "
        "hey.com hushmail.com "
        # Europe
        "orange.fr wanadoo.fr free.fr sfr.fr neuf.fr laposte.net bbox.fr numericable.fr "
        "aliceadsl.fr club-internet.fr web.de t-online.de freenet.de arcor.de posteo.de "
        "bluewin.ch telefonica.net movistar.es sapo.pt iol.pt clix.pt wp.pl o2.pl onet.pl "
        "interia.pl libero.it virgilio.it tiscali.it alice.it tin.it ziggo.nl kpnmail.nl "
        "hetnet.nl planet.nl xs4all.nl skynet.be telenet.be btinternet.com sky.com "
        "virginmedia.com seznam.cz mail.ru inbox.ru list.ru bk.ru rambler.ru ukr.net "
        # Americas, Asia, Africa, Oceania
        "comcast.net verizon.net att.net sbcglobal.net cox.net earthlink.net charter.net "
        "optonline.net shaw.ca rogers.com sympatico.ca uol.com.br bol.com.br terra.com.br "
        "qq.com 163.com 126.com sina.com sohu.com foxmail.com naver.com daum.net hanmail.net "
        "rediffmail.com vnn.vn fpt.vn docomo.ne.jp ezweb.ne.jp nifty.com ocn.ne.jp "
        "biglobe.ne.jp so-net.ne.jp menara.ma bigpond.com optusnet.com.au xtra.co.nz"
    ).split()
)
FREE_MAIL_PROVIDERS = frozenset(
    "gmail googlemail yahoo hotmail outlook live msn aol icloud gmx yandex protonmail".split()
)
"""Providers with a domain in many countries (yahoo.fr, hotmail.co.uk, outlook.de...)."""
SHARED_MAILBOXES = frozenset(
    (
        "contact contacts info infos information hello hi bonjour accueil office admin sales "
        "vente ventes commercial support help service team equipe mail email enquiries "
        "inquiries reception secretariat direction compta accounting billing facturation rh hr "
        "jobs careers recrutement marketing press presse noreply no-reply webmaster kontakt"
    ).split()
)

NICKNAMES: dict[str, tuple[str, ...]] = {
    "robert": ("bob", "bobby", "rob", "robbie", "bert"),
    "william": ("bill", "billy", "will", "willy", "liam"),
    "richard": ("rick", "ricky", "dick", "rich", "richie"),
    "james": ("jim", "jimmy", "jamie"),
    "john": ("jack", "johnny", "jon"),
    "jonathan": ("jon", "jonny"),
    "michael": ("mike", "mikey", "mick"),
    "elizabeth": ("liz", "lizzie", "beth", "betty", "eliza", "lisa", "elisabeth"),
    "elisabeth": ("lisa", "babeth", "liesel", "elise"),
    "katherine": ("kate", "katie", "kathy", "kat", "kitty", "catherine", "kathryn"),
    "catherine": ("cathy", "cath", "kate", "katherine"),
    "katharina": ("kathi", "katja", "kati"),
    "margaret": ("maggie", "meg", "peggy", "margot"),
    "thomas": ("tom", "tommy", "thom"),
    "christopher": ("chris", "kit", "topher"),
    "christophe": ("chris", "cricri"),
    "christine": ("chris", "tina", "christina"),
    "nicholas": ("nick", "nicky", "nico"),
    "nicolas": ("nico", "nick"),
    "alexander": ("alex", "sasha", "xander", "alexandre"),
    "alexandra": ("alex", "sandra", "sasha", "alexandrine"),
    "anthony": ("tony", "antony"),
    "joseph": ("joe", "joey", "jo"),
    "daniel": ("dan", "danny"),
    "david": ("dave", "davy"),
    "edward": ("ed", "eddie", "ted", "ned"),
    "charles": ("charlie", "chuck"),
    "andrew": ("andy", "drew"),
    "benjamin": ("ben", "benji", "benny"),
    "samuel": ("sam", "sammy"),
    "matthew": ("matt", "matty"),
    "patrick": ("pat", "paddy"),
    "patricia": ("pat", "patty", "trish", "tricia"),
    "peter": ("pete",),
    "stephen": ("steve", "stevie", "steven"),
    "timothy": ("tim", "timmy"),
    "jennifer": ("jen", "jenny"),
    "rebecca": ("becky", "becca"),
    "susan": ("sue", "susie", "suzy"),
    "deborah": ("debbie", "deb", "debra"),
    "victoria": ("vicky", "tori"),
    "nathaniel": ("nate", "nathan"),
    "gregory": ("greg",),
    "jeffrey": ("jeff",),
    "kenneth": ("ken", "kenny"),
    "lawrence": ("larry", "laurence"),
    "ronald": ("ron", "ronnie"),
    "donald": ("don", "donnie"),
    "raymond": ("ray",),
    "frederick": ("fred", "freddie", "freddy"),
    "frederic": ("fred",),
    "francis": ("frank", "frankie"),
    "henry": ("harry", "hank"),
    "philip": ("phil", "philippe"),
    "douglas": ("doug",),
    "abigail": ("abby", "gail"),
    "pamela": ("pam",),
    "barbara": ("barb", "babs"),
    "dominique": ("dom",),
    "sebastien": ("seb",),
    "stephane": ("steph",),
    "stephanie": ("steph", "fanny"),
    "isabelle": ("isa", "isabel"),
    "valerie": ("val",),
    "emmanuel": ("manu",),
    "emmanuelle": ("manue",),
    "maxime": ("max",),
    "maximilian": ("max", "maxi"),
    "guillaume": ("guigui",),
    "johannes": ("hans", "johann", "jo"),
    "friedrich": ("fritz",),
    "wolfgang": ("wolf",),
}


def _nickname_maps() -> tuple[dict[str, str], dict[str, frozenset[str]], dict[str, tuple]]:
    """One canonical full name per name (the first group listing it), every name it may be, and
    the full names an ambiguous nickname may stand for ("max": maxime, maximilian)."""
    canonical: dict[str, str] = {}
    aliases: dict[str, set[str]] = defaultdict(set)
    for full, short in NICKNAMES.items():
        group = {full, *short}
        canonical.setdefault(full, full)
        for name in short:
            canonical.setdefault(name, full)
        for name in group:
            aliases[name] |= group

    def resolved(name: str) -> str:
        while canonical[name] != name:  # "cathy" is "catherine", which is "katherine"
            name = canonical[name]
        return name

    fulls: dict[str, list[str]] = defaultdict(list)
    for full, short in NICKNAMES.items():
        for name in short:
            if resolved(full) not in fulls[name]:
                fulls[name].append(resolved(full))
    canonical = {name: resolved(name) for name in canonical}
    ambiguous = {
        name: tuple(f for f in found if f != canonical[name])
        for name, found in fulls.items()
        if len(found) > 1
    }
    return canonical, {name: frozenset(group) for name, group in aliases.items()}, ambiguous


_CANONICAL, _ALIASES, AMBIGUOUS_NICKNAMES = _nickname_maps()
ORG_STOPWORDS = frozenset("and et und the of le la les l de des du d".split())
LONG_LEGAL_FORMS = ("limited", "corporation", "incorporated", "company", "gmbh")
"""Legal forms long enough that a word one slip away from them is them, not a name."""


def canonical_token(token: str) -> str:
    """The full first name a nickname stands for ("bob" is "robert"); other words unchanged."""
    return _CANONICAL.get(token, token)


def aliases_of(token: str) -> frozenset[str]:
    """Every name that may be written for this one ("bob": robert, rob, bobby...) and itself."""
    return _ALIASES.get(token, frozenset((token,)))


def is_free_mail(domain: str) -> bool:
    domain = domain.strip(".").lower()
    return domain in FREE_MAIL_DOMAINS or domain.split(".", 1)[0] in FREE_MAIL_PROVIDERS


def is_shared_mailbox(email_key: str) -> bool:
    """contact@, info@, sales@...: an address a team shares, which says nothing of a person."""
    local = email_key.rpartition("@")[0].split("+", 1)[0]
    return local in SHARED_MAILBOXES
