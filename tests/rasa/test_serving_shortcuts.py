"""Our serving shortcuts inside Rasa behave exactly like the Rasa code they replace.

Run in the Rasa environment (a subprocess of .venv-rasa's Python), as Rasa runs them.
"""

from __future__ import annotations

from collections.abc import Callable

InRasa = Callable[[str], dict[str, object]]  # the `in_rasa` fixture (conftest.py)


def test_action_server_answers_are_checked_as_rasa_checks_them(in_rasa: InRasa) -> None:
    result = in_rasa(
        """
        import json
        from jsonschema import ValidationError
        from rasa.core.actions.action import RemoteAction
        import rasa_ext.tracker_store  # installs the check, as `rasa run` does

        action = RemoteAction("action_answer_procedure", None)
        good = {
            "events": [{"event": "slot", "name": "procedure_code", "value": "1.001193"}],
            "responses": [{"text": "Cần tờ khai", "buttons": [{"title": "a", "payload": "/b"}]}],
        }
        bad = {"events": [{"event": "no_such_event"}], "responses": []}
        verdicts = {"good": action._validate_action_result(good)}
        try:
            action._validate_action_result(bad)
            verdicts["bad"] = "accepted"
        except ValidationError as error:
            verdicts["bad"] = error.message
        print(json.dumps(verdicts))
        """,
    )

    assert result["good"] is True
    assert isinstance(result["bad"], str)
    assert "Failed to validate Action server response" in result["bad"]


def test_a_stored_window_reads_back_as_rasa_reads_it(in_rasa: InRasa) -> None:
    result = in_rasa(
        """
        import asyncio, json
        from rasa.shared.core.conversation import Dialogue
        from rasa.shared.core.domain import Domain
        from rasa.shared.core.events import (
            ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered,
        )
        from rasa.shared.core.trackers import DialogueStateTracker
        from rasa_ext.tracker_store import WindowedTrackerStore

        domain = Domain.load("domain.yml")
        store = WindowedTrackerStore(domain, max_turns=2)
        events = [ActionExecuted("action_session_start"), SessionStarted(),
                  ActionExecuted("action_listen")]
        for n, intent in enumerate(["ask_documents", "ask_fee", "ask_status"]):
            events += [
                UserUttered(f"tin {n}", {"name": intent, "confidence": 0.9},
                            [{"entity": "procedure", "value": "sổ đỏ", "start": 0, "end": 5}]),
                ActionExecuted("action_answer_procedure"),
                BotUttered("trả lời", {"buttons": [{"title": "a", "payload": "/b"}]}),
                SlotSet("procedure_code", f"1.00{n}"),
                ActionExecuted("action_listen"),
            ]
        tracker = DialogueStateTracker.from_events("web-1", events, domain.slots)

        async def round_trip():
            await store.save(tracker)
            ours = await store.retrieve("web-1")
            theirs = store.init_tracker("web-1")
            theirs.recreate_from_dialogue(
                Dialogue.from_parameters(json.loads(store.store["web-1"]))
            )
            return ours, theirs

        ours, theirs = asyncio.run(round_trip())
        print(json.dumps({
            "same_events": list(ours.events) == list(theirs.events),
            "users": sum(isinstance(e, UserUttered) for e in ours.events),
            "slot": ours.get_slot("procedure_code"),
        }))
        """,
    )

    assert result == {"same_events": True, "users": 2, "slot": "1.002"}


def test_the_redis_window_is_shared_by_replicas_and_expires(
    in_rasa: InRasa, redis_store_options: str
) -> None:
    result = in_rasa(
        f"""
        import asyncio, json
        from rasa.shared.core.domain import Domain
        from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
        from rasa.shared.core.trackers import DialogueStateTracker
        from rasa_ext.tracker_store import WindowedRedisTrackerStore, WindowedTrackerStore

        domain = Domain.load("domain.yml")
        options = dict({redis_store_options},
                       record_exp=60, max_turns=2)
        writer = WindowedRedisTrackerStore(domain, **options)
        reader = WindowedRedisTrackerStore(domain, **options)  # another Rasa replica
        memory = WindowedTrackerStore(domain, max_turns=2)
        events = [ActionExecuted("action_session_start"), SessionStarted(),
                  ActionExecuted("action_listen")]
        for n in range(5):
            events += [UserUttered(f"tin {{n}}", {{"name": "ask_fee", "confidence": 0.9}}),
                       ActionExecuted("action_answer_procedure"),
                       SlotSet("procedure_code", f"1.00{{n}}"),
                       ActionExecuted("action_listen")]
        tracker = DialogueStateTracker.from_events("zalo-7", events, domain.slots)

        async def run():
            await writer.save(tracker)
            await memory.save(tracker)
            return await reader.retrieve("zalo-7"), await memory.retrieve("zalo-7")

        shared, local = asyncio.run(run())
        key = writer.key_prefix + "zalo-7"
        ttl = writer.red.ttl(key)
        writer.red.delete(key)
        print(json.dumps({{
            "same_as_memory": list(shared.events) == list(local.events),
            "users": sum(isinstance(e, UserUttered) for e in shared.events),
            "slot": shared.get_slot("procedure_code"),
            "ttl_set": 0 < ttl <= 60,
        }}))
        """,
    )

    assert result == {"same_as_memory": True, "users": 2, "slot": "1.004", "ttl_set": True}


def test_only_payloads_of_known_intents_skip_the_nlu_pipeline(in_rasa: InRasa) -> None:
    # That the parse data is the NLU graph's own: test_rasa_server.py, through the channel.
    result = in_rasa(
        """
        import json
        from rasa.shared.core.domain import Domain
        from rasa_ext.payloads import payload_parse

        domain = Domain.load("domain.yml")
        texts = [
            "/greet", " /greet ", "/ask_fee@0.7", '/ask_documents{"procedure_code":"1.001193"}',
            "/no_such_intent", "/greet extra words", "/", "greet", "xin chào /greet", "",
        ]
        print(json.dumps({text: payload_parse(text, domain) for text in texts}))
        """,
    )

    taken = {text: parse for text, parse in result.items() if parse is not None}
    assert set(taken) == {
        "/greet",
        " /greet ",
        "/ask_fee@0.7",
        '/ask_documents{"procedure_code":"1.001193"}',
    }
    assert taken["/ask_fee@0.7"]["intent"] == {"name": "ask_fee", "confidence": 0.7}
    (entity,) = taken['/ask_documents{"procedure_code":"1.001193"}']["entities"]
    assert (entity["entity"], entity["value"]) == ("procedure_code", "1.001193")
