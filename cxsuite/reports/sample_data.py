"""The literal content of the sample report (see :mod:`cxsuite.reports.sample` for how it is assembled).

Client-side text is in each language's own words, as a consultant would write it; model and
library text is English here and translated by the report catalogue.
"""

from __future__ import annotations

# language: client, project, context paragraph, confidentiality line (all tenant-written text)
CLIENTS = {
    "en": (
        "Nordvik Energy Ltd",
        "Digital CX audit 2026 Q4",
        "Nordvik serves 48,900 households in three regions. Growth since 2024 came with longer "
        "response times and a rise in churn at contract renewal; the board asked for a fact-based "
        "view of where the journey loses customers and what to fix first.",
        "Confidential: prepared for Nordvik Energy Ltd",
    ),
    "lt": (
        "UAB „Šiaurės energija“",
        "Skaitmeninės klientų patirties auditas, 2026 m. IV ketv.",
        "„Šiaurės energija“ aptarnauja 48 900 namų ūkių trijuose regionuose. Augimas nuo 2024 m. pailgino "
        "atsakymo laiką ir padidino klientų netekimą atnaujinant sutartis; valdyba paprašė faktais grįsto "
        "vaizdo, kur kelionėje prarandami klientai ir ką taisyti pirmiausia.",
        "Konfidencialu: parengta UAB „Šiaurės energija“",
    ),
    "lv": (
        "SIA „Ziemeļu Enerģija“",
        "Digitālās klientu pieredzes audits, 2026. gada 4. ceturksnis",
        "„Ziemeļu Enerģija“ apkalpo 48 900 mājsaimniecību trīs reģionos. Kopš 2024. gada izaugsme pagarināja "
        "atbildes laiku un palielināja klientu aizplūšanu līgumu atjaunošanas brīdī; valde lūdza uz faktiem "
        "balstītu skatu, kur ceļā tiek zaudēti klienti un kas jālabo vispirms.",
        "Konfidenciāli: sagatavots SIA „Ziemeļu Enerģija“",
    ),
    "ru": (
        "ООО «Северная энергия»",
        "Аудит цифрового клиентского опыта, IV квартал 2026 г.",
        "«Северная энергия» обслуживает 48 900 домохозяйств в трёх регионах. Рост с 2024 года увеличил время "
        "ответа и отток клиентов при продлении договоров; совет директоров запросил основанную на фактах "
        "картину того, где путь клиента теряет клиентов и что исправлять в первую очередь.",
        "Конфиденциально: подготовлено для ООО «Северная энергия»",
    ),
    "fa": (
        "شرکت انرژی شمال",
        "ممیزی تجربه دیجیتال مشتری، فصل چهارم ۲۰۲۶",
        "انرژی شمال به ۴۸٬۹۰۰ خانوار در سه منطقه خدمت می‌دهد. رشد از سال ۲۰۲۴ زمان پاسخ‌گویی را طولانی‌تر و "
        "ریزش مشتری هنگام تمدید قرارداد را بیشتر کرد؛ هیئت‌مدیره خواستار تصویری مبتنی بر داده شد از اینکه "
        "سفر مشتری کجا مشتری از دست می‌دهد و چه چیزی را باید اول اصلاح کرد.",
        "محرمانه: تهیه‌شده برای شرکت انرژی شمال",
    ),
}
LEVELS = (
    (1, "Reactive", "Not done or fire-fighting."),
    (2, "Emerging", "Ad hoc, in pockets; data not shared."),
    (3, "Defined", "Documented, owned and repeatable."),
    (4, "Managed", "Systematic, measured against targets, cross-functional."),
    (5, "Optimised", "Automated, predictive, continuously improved and embedded in incentives."),
)
STAGES = (
    ("awareness", "Awareness"),
    ("consideration", "Consideration"),
    ("purchase", "Purchase"),
    ("onboarding", "Onboarding"),
    ("usage_service", "Usage and service"),
    ("retention", "Retention"),
    ("advocacy", "Advocacy"),
)
# key, name, score, target
DIMENSIONS = (
    ("D1", "Data integration", 1.9, 3.5),
    ("D2", "Personalisation", 2.2, 3.0),
    ("D3", "Automation and self-service", 2.9, 3.5),
    ("D4", "Real-time responsiveness", 3.6, 4.0),
    ("D5", "Omnichannel consistency", 2.5, 3.5),
    ("D6", "Feedback loop (voice of the customer)", 2.1, 3.5),
    ("D7", "Journey management", 1.6, 3.0),
)
# One row per stage, one column per dimension: a score, "-" not applicable, "?" insufficient evidence.
GRID = (
    ("2.1", "2.4", "-", "-", "2.2", "?", "1.5"),
    ("1.8", "2.6", "2.9", "3.4", "2.7", "-", "1.6"),
    ("2.2", "2.0", "3.3", "3.9", "2.9", "2.0", "1.7"),
    ("1.7", "2.1", "2.8", "3.5", "2.4", "2.3", "1.4"),
    ("2.0", "-", "3.1", "3.8", "2.6", "2.2", "1.8"),
    ("1.6", "2.0", "2.5", "3.2", "?", "1.9", "1.5"),
    ("-", "?", "-", "-", "2.1", "2.0", "1.6"),
)
CONTESTED = frozenset({("purchase", "D4"), ("onboarding", "D3")})
# dimension: metric, value, unit, band, level, kind, benchmark (value, source, year), source (None =
# our own estimate); then the data behind each: n, days of data
EVIDENCE_DATA = {"D1": (4_870, 182), "D2": (48_900, 182), "D3": (18_450, 182), "D4": (18_450, 182),
                 "D5": (18_450, 182), "D6": (24, 60), "D7": (6, None)}
EVIDENCE = {
    "D1": ("Tickets linked to a known customer", 62.0, "%", "50–70 % → 2", 2, "o_data", None, None),
    "D2": ("Contacts with a lifecycle stage set", 41.0, "%", "40–60 % → 2", 2, "o_data", None, None),
    "D3": ("Tickets auto-assigned within 1 minute", 58.0, "%", "50–75 % → 3", 3, "o_data", None, None),
    "D4": (
        "Median first response time, email",
        3.2,
        "h",
        "≤ 4 h → 4",
        4,
        "o_data",
        (12, "SuperOffice customer service benchmark", 2023),
        "SuperOffice customer service benchmark",
    ),
    "D5": (
        "First-contact resolution",
        71.0,
        "%",
        "70–74 % → 3",
        3,
        "o_data",
        (70, "SQM Group FCR benchmark", 2023),
        "SQM Group FCR benchmark",
    ),
    "D6": ("Detractors followed up within 48 hours", 18.0, "%", "< 25 % → 1", 1, "x_data", None, None),
    "D7": (
        "Questionnaire: journey owner and KPI target per stage",
        "—",
        "",
        "none → 1",
        1,
        "questionnaire",
        None,
        None,
    ),
}
# stage: (channel, touchpoint) pairs
TOUCHPOINTS = {
    "awareness": (("Web", "Search ads"), ("Social", "Social campaigns"), ("Partner", "Comparison sites")),
    "consideration": (("Web", "Tariff calculator"), ("Phone", "Sales line"), ("E-mail", "Quote e-mail")),
    "purchase": (("Web", "Online sign-up"), ("Phone", "Sales line")),
    "onboarding": (("E-mail", "Welcome e-mail"), ("Web", "Customer portal"), ("Post", "Contract letter")),
    "usage_service": (
        ("Web", "Customer portal"),
        ("Phone", "Service line"),
        ("E-mail", "Support e-mail"),
        ("Chat", "Web chat"),
    ),
    "retention": (("E-mail", "Renewal offer"), ("Phone", "Retention desk")),
    "advocacy": (("Social", "Reviews"), ("E-mail", "NPS survey")),
}
STAGE_KPIS = (
    ("consideration", "Conversion", 2.4, "%"),
    ("purchase", "CSAT", 81, "%"),
    ("onboarding", "CES", 4.9, "/7"),
    ("usage_service", "First response", 3.2, "h"),
    ("usage_service", "CSAT", 74, "%"),
    ("retention", "Churn", 4.1, "%"),
    ("advocacy", "NPS", 18, ""),
)
SATISFACTION = (
    ("consideration", 0.6, 112),
    ("purchase", 0.9, 208),
    ("onboarding", -0.4, 164),
    ("usage_service", -1.1, 530),
    ("retention", -0.6, 96),
    ("advocacy", 0.2, 341),
)
# The journey evidence behind the pain points, as cxsuite.scoring.journey_evidence counts it for a
# real run: records attributed to each stage per source (feedback answers as in SATISFACTION), and
# per pain point its stage, source, records and the anonymised quote in the client's language.
STAGE_RECORDS = {
    "onboarding": {"feedback": 164, "ticket": 1_240},
    "usage_service": {"feedback": 530, "ticket": 15_960},
    "retention": {"feedback": 96, "ticket": 1_020},
}
PAIN_POINTS = (
    ("onboarding", "ticket", 384, {
        "en": "First bill is hard to understand",
        "lt": "Pirmoji sąskaita sunkiai suprantama",
        "lv": "Pirmais rēķins ir grūti saprotams",
        "ru": "Первый счёт трудно понять",
        "fa": "درک اولین صورت‌حساب دشوار است",
    }),
    ("retention", "ticket", 131, {
        "en": "Renewal offer arrived after my contract ended",
        "lt": "Atnaujinimo pasiūlymas atėjo pasibaigus sutarčiai",
        "lv": "Atjaunošanas piedāvājums pienāca pēc līguma beigām",
        "ru": "Предложение о продлении пришло после окончания договора",
        "fa": "پیشنهاد تمدید پس از پایان قراردادم رسید",
    }),
    ("usage_service", "feedback", 186, {
        "en": "I had to repeat my story to every agent",
        "lt": "Kiekvienam darbuotojui turėjau pasakoti iš naujo",
        "lv": "Katram darbiniekam man bija jāstāsta viss no jauna",
        "ru": "Пришлось заново рассказывать всё каждому сотруднику",
        "fa": "مجبور شدم ماجرا را برای هر کارشناس از نو تعریف کنم",
    }),
)
# metric, value, unit, stage, definition, benchmark (value, source, year, population) or None,
# records, coverage, previous
KPIS = (
    (
        "NPS",
        18,
        "",
        "advocacy",
        "Promoters minus detractors, 0–10 scale",
        (36, "Vendor NPS compilations", 2025, "B2B SaaS"),
        341,
        0.92,
        12,
    ),
    (
        "CSAT, service tickets",
        74,
        "%",
        "usage_service",
        "Share of 4–5 answers on a 1–5 scale",
        (86, "Zendesk", 2012, "global"),
        1_204,
        0.81,
        71,
    ),
    (
        "Median first response time, email",
        3.2,
        "h",
        "usage_service",
        "First human reply minus created",
        (12, "SuperOffice", 2023, "1,000 companies"),
        18_450,
        0.97,
        4.5,
    ),
    (
        "First-contact resolution",
        71,
        "%",
        "usage_service",
        "No reopen and no new contact within 7 days",
        (70, "SQM Group", 2023, "contact centres"),
        18_450,
        0.88,
        69,
    ),
    (
        "Conversion",
        2.4,
        "%",
        "consideration",
        "Orders divided by sessions",
        (2.2, "e-commerce range 1.4–3.0 %", 2024, ""),
        412_000,
        1.0,
        2.1,
    ),
    (
        "Churn",
        4.1,
        "%",
        "retention",
        "Customers lost in the month divided by customers at its start",
        (4.5, "Recurly, 3–6 %", 2024, "subscriptions"),
        48_900,
        0.95,
        4.6,
    ),
    ("CES", 4.9, "/7", "onboarding", "Mean agreement that it was easy, 1–7", None, 164, 0.42, None),
)
PREVIOUS_RUN = (("D1", 1.7), ("D2", 2.1), ("D3", 2.5), ("D4", 3.1), ("D5", 2.4), ("D6", 1.8), ("D7", 1.4))

# Twelve recommendations from the model's library (cxsuite/scoring/model/v1.yaml), placed on this client:
# library id, stage, value (1–5), then the library's own dimension, effort, horizon, owner and KPI text.
LIBRARY_PICKS = (
    (
        "Link every ticket, deal and survey answer to a known customer",
        (
            "Add matching rules (email, then company domain) in the CRM/helpdesk integration so new records"
            " are linked on arrival, and back-fill the unlinked ones."
        ),
        "D1",
        "usage_service",
        4.4,
        2,
        "0-3",
        "CRM administrator",
        "Assumption: the link rate moves into the 85-95 % band once automatic matching covers new records.",
        None,
    ),
    (
        "Follow up unhappy customers within 48 hours",
        "Alert the account owner on every detractor and low CSAT answer and track follow-up within 48 h.",
        "D6",
        "retention",
        4.3,
        2,
        "0-3",
        "Customer success lead",
        "Assumption: the follow-up rate passes 75 %.",
        None,
    ),
    (
        "Contact inbound leads within an hour",
        "Set a one-hour (goal five-minute) response rule for inbound leads with alerts on breaches.",
        "D4",
        "consideration",
        4.1,
        2,
        "0-3",
        "Sales operations",
        (
            "Directional: leads contacted within an hour were about 7 times likelier to qualify than those "
            "contacted later."
        ),
        "Oldroyd, McElheran & Elkington, HBR 2011 [35]",
    ),
    (
        "Automate renewal reminders and tasks",
        "Create renewal tasks and customer reminders 90, 60 and 30 days before term end.",
        "D3",
        "retention",
        4.0,
        2,
        "0-3",
        "Customer success lead",
        "Assumption: fewer renewals lapse by omission; size against the client's baseline.",
        None,
    ),
    (
        "Name an owner and a KPI target per stage",
        "Assign each stage an accountable owner and one or two KPIs with targets.",
        "D7",
        "onboarding",
        3.9,
        1,
        "0-3",
        "Executive sponsor",
        "Assumption: KPI coverage of the journey reaches 75 %.",
        None,
    ),
    (
        "Automate the onboarding sequence",
        "Run onboarding as a workflow with milestones, reminders and a task when a customer stalls.",
        "D3",
        "onboarding",
        3.8,
        3,
        "3-6",
        "Customer success lead",
        "Assumption: early-life (90-day) churn falls; measure against the client's cohort baseline.",
        None,
    ),
    (
        "Show one conversation history on every channel",
        "Integrate helpdesk, chat, phone and CRM so every agent sees the customer's full history.",
        "D5",
        "usage_service",
        3.6,
        4,
        "6-12",
        "CRM administrator",
        (
            "Directional: channel switching and repeating information are top effort drivers, and 96 % of "
            "customers with high-effort service become more disloyal vs 9 % with low effort."
        ),
        "Gartner customer effort research [12]",
    ),
    (
        "Assign tickets automatically",
        "Route tickets to the right queue and agent by channel, topic and customer tier on arrival.",
        "D3",
        "usage_service",
        3.4,
        1,
        "0-3",
        "Head of support",
        "Assumption: more than 80 % of tickets assigned within a minute, shortening first response.",
        None,
    ),
    (
        "Define lifecycle stages and set them on every contact",
        (
            "Agree lifecycle stages with sales, marketing and service, set them on all contacts and keep "
            "them updated by rules."
        ),
        "D2",
        "consideration",
        3.3,
        2,
        "0-3",
        "Marketing operations",
        "Assumption: lifecycle stage coverage reaches 80 %.",
        None,
    ),
    (
        "Collect feedback at every stage",
        (
            "Add relationship NPS and transactional CSAT or CES at the key moments until each stage has n "
            ">= 30 per period."
        ),
        "D6",
        "purchase",
        3.2,
        2,
        "0-3",
        "CX lead",
        "Assumption: every stage reaches n >= 30 answers per quarter.",
        None,
    ),
    (
        "Run a first-contact-resolution programme",
        (
            "Give first-line agents the knowledge and authority to resolve, and review every reopen and "
            "repeat contact."
        ),
        "D5",
        "usage_service",
        3.0,
        3,
        "3-6",
        "Head of support",
        "Directional: across contact centres every 1 % of FCR improvement goes with about 1 % more CSAT.",
        "SQM Group [25]",
    ),
    (
        "Personalise on individual behaviour",
        "Use product usage and web behaviour to choose the next message or offer per customer.",
        "D2",
        "awareness",
        2.6,
        4,
        "6-12",
        "Marketing operations",
        (
            "Directional: companies leading in personalisation earn 40 % more revenue from those activities"
            " than average players."
        ),
        "McKinsey, Next in Personalization 2021 [16]",
    ),
)
