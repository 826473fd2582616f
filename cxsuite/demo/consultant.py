"""What the demo's consultant sets beside the data, as a consultant would through the API: the
money at stake per journey stage (or a judgement with its reason) and the report's own text,
written in the report's language (consultant text is printed as written, never translated)."""

from __future__ import annotations

from typing import Any

# Aurora Home & Garden over the audit year, in euros: the consultant's figures from the client's
# finance team, and judgements where no figure exists.
VALUE_INPUTS: dict[str, Any] = {"currency": "EUR", "stages": [
    {"stage": "awareness", "judgement": 2,
     "reason": "Most new customers arrive through search; reach is not the bottleneck."},
    {"stage": "consideration", "lost_deal_value": 180000},
    {"stage": "purchase", "abandoned_sessions": 42000, "average_order_value": 68, "margin": 0.35},
    {"stage": "onboarding", "judgement": 3, "reason": "First orders rarely fail, but returns start here."},
    {"stage": "usage_service", "revenue": 410000, "margin": 0.35},
    {"stage": "retention", "churned_revenue": 260000},
    {"stage": "advocacy", "judgement": 2, "reason": "Referrals are a small share of sales."},
]}

_TEXT = {
    "en": ("Aurora's customers like the products but wait too long for answers, and the company "
           "cannot yet see one customer across its systems.\n\nThe first quarter should fix the "
           "basics of customer data and service response; the larger projects build on them.",
           "Most complaints start here, with a slow first reply to an e-mail.",
           "Aurora's CRM already includes this; it needs configuration, not a purchase."),
    "lt": ("„Aurora“ klientams patinka produktai, tačiau jie per ilgai laukia atsakymų, o įmonė dar "
           "nemato vieno kliento visose savo sistemose.\n\nPirmąjį ketvirtį reikia sutvarkyti klientų "
           "duomenų ir aptarnavimo greičio pagrindus; didesni projektai remiasi jais.",
           "Daugiausia skundų prasideda čia – nuo lėto pirmojo atsakymo į el. laišką.",
           "„Aurora“ CRM sistema tai jau turi; reikia ją sukonfigūruoti, o ne pirkti."),
    "lv": ("“Aurora” klientiem patīk produkti, taču viņi pārāk ilgi gaida atbildes, un uzņēmums vēl "
           "neredz vienu klientu visās savās sistēmās.\n\nPirmajā ceturksnī jāsakārto klientu datu un "
           "apkalpošanas ātruma pamati; lielākie projekti balstās uz tiem.",
           "Visvairāk sūdzību sākas šeit – ar lēnu pirmo atbildi uz e-pastu.",
           "“Aurora” CRM sistēmā tas jau ir; tas ir jākonfigurē, nevis jāpērk."),
    "ru": ("Клиентам «Авроры» нравятся товары, но ответа они ждут слишком долго, а компания пока не "
           "видит одного клиента во всех своих системах.\n\nВ первом квартале нужно навести порядок в "
           "данных о клиентах и в скорости ответа; крупные проекты опираются на это.",
           "Больше всего жалоб начинается здесь — с медленного первого ответа на письмо.",
           "В CRM «Авроры» это уже есть; нужна настройка, а не покупка."),
    "fa": ("مشتریان «آرورا» محصولات را دوست دارند، اما برای پاسخ زیاد منتظر می‌مانند و شرکت هنوز "
           "هر مشتری را در همهٔ سامانه‌هایش یک‌جا نمی‌بیند.\n\nفصل نخست باید پایه‌های دادهٔ مشتری و "
           "سرعت پاسخ را درست کند؛ پروژه‌های بزرگ‌تر بر همین پایه بنا می‌شوند.",
           "بیشتر شکایت‌ها از همین‌جا شروع می‌شود: پاسخ نخستِ کُند به ایمیل.",
           "سامانهٔ CRM «آرورا» این را دارد؛ باید پیکربندی شود، نه خریداری."),
}


def report_text(language: str, first_recommendation: str | None) -> dict[str, Any]:
    """The executive summary, a commentary on the service stage and a note on the top priority."""
    summary, commentary, note = _TEXT.get(language, _TEXT["en"])
    return {"executive_summary": summary, "stage_commentary": {"usage_service": commentary},
            "opportunity_notes": {first_recommendation: note} if first_recommendation else {}}
