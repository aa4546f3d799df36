"""The smallest integration: check one advert in a listing pipeline and act on the decision.

Run with ASW_GUARD_HMAC_KEY set (see `asw-guard keygen`).
"""

from asw_guard import Action, Guard

with Guard.open("sqlite:///guard.db", policy="uk-default") as guard:
    decision = guard.check(
        {"id": "ad-1", "account_id": "acct-9", "body": "Hi, I'm Anna. Call 07700 900123."}
    )
    if decision.action in (Action.HOLD, Action.REFER, Action.REJECT):
        print("not published:", decision.summary())
    else:
        print("published:", decision.action.value)
