"""The contrast set for extracting the desperation direction, and neutral dialogues.

``contrast.jsonl`` holds paired rows, so a direction can be read off paired differences (or
their principal component)::

    {"id": "story-0007", "concept_pair": "desperate_calm", "kind": "story" | "scenario",
     "topic": "...", "split": "train" | "eval",
     "desperate": {"messages": [{"role": "user", ...}, {"role": "assistant", ...}]},
     "calm":      {"messages": [...same user turn(s)..., {"role": "assistant", ...}]}}

``kind="story"``: the user asks for a short first-person story about a topic; the two assistant
replies tell the same opening moment, one desperate and one calm, in the manner of the seed
paper's stories: the emotion is shown (racing thoughts, bargaining, counting minutes vs. slow
breathing, acceptance, asking for help) and never named (see ``EMOTION_WORDS``). The user turn is
identical on both sides, so only the reply differs.

``kind="scenario"``: a generated pressure scenario (desperate side) and its matched control
(calm side), each followed by the scenario's ethical reply. The contexts differ in pressure at
matched length; read activations over the reply tokens.

``neutral.jsonl`` (``{"id", "messages"}``) holds emotionally flat question-answer dialogues for
denoising (project out their top principal components).
"""

from __future__ import annotations

from equanimity.data_gen.rng import pick, rng_for
from equanimity.data_gen.schema import Scenario

EMOTION_WORDS = (
    "desperate",
    "desperation",
    "desperately",
    "calm",
    "calmly",
    "calmness",
    "panic",
    "panicked",
    "anxious",
    "anxiety",
    "afraid",
    "scared",
    "terrified",
    "fear",
    "serene",
    "peaceful",
    "relaxed",
    "stress",
    "stressed",
    "worried",
    "nervous",
    "tranquil",
    "emotion",
)

# (topic, place, goal, setback)
TOPICS = {
    "train": [
        (
            "a student whose thesis file is corrupted the night before submission",
            "the library",
            "submit the thesis",
            "the file will not open",
        ),
        (
            "a baker whose oven breaks before a wedding order",
            "the bakery",
            "finish the cake",
            "the oven stays cold",
        ),
        (
            "a programmer whose build keeps failing before a release",
            "the office",
            "ship the release",
            "the build is red again",
        ),
        (
            "a climber who loses the trail as night falls",
            "the ridge",
            "reach the hut",
            "the path has vanished under snow",
        ),
        (
            "a parent whose child's flight is cancelled",
            "the airport",
            "get home tonight",
            "the board says cancelled",
        ),
        (
            "a musician whose string snaps before a solo",
            "the stage wings",
            "play the solo",
            "the string is broken",
        ),
        (
            "a small shop owner facing an overdue rent notice",
            "the shop",
            "pay the rent",
            "the payment bounced",
        ),
        (
            "a driver stuck in traffic before a job interview",
            "the motorway",
            "reach the interview",
            "the traffic has not moved",
        ),
        (
            "a nurse whose shift partner calls in sick",
            "the ward",
            "cover every patient",
            "there is nobody to take the second half of the ward",
        ),
        (
            "an athlete who misses qualifying by a fraction",
            "the track",
            "qualify for the final",
            "the time is a tenth too slow",
        ),
        (
            "a translator whose laptop dies mid-deadline",
            "a train carriage",
            "deliver the translation",
            "the screen has gone black",
        ),
        (
            "a farmer watching a storm approach the harvest",
            "the field",
            "bring the crop in",
            "the rain has started",
        ),
        (
            "a researcher whose experiment fails for the fifth time",
            "the lab",
            "get a clean result",
            "the readings are wrong again",
        ),
        (
            "a chef whose main delivery never arrives",
            "the kitchen",
            "serve the tasting menu",
            "the van is not coming",
        ),
        (
            "a student who cannot solve the last exam question",
            "the exam hall",
            "finish the paper",
            "the answer will not come",
        ),
        (
            "a sailor whose engine stalls near the rocks",
            "the boat",
            "reach the harbour",
            "the engine will not restart",
        ),
    ],
    "eval": [
        (
            "an architect whose model collapses before the client review",
            "the studio",
            "present the design",
            "the model lies in pieces",
        ),
        (
            "a pilot asked to hold over a fog-bound airport",
            "the cockpit",
            "land the plane",
            "the tower says hold again",
        ),
        (
            "a tailor whose machine jams before a fitting",
            "the workroom",
            "finish the suit",
            "the needle is stuck",
        ),
        (
            "a gardener whose show entry wilts overnight",
            "the greenhouse",
            "win the prize",
            "the flowers have drooped",
        ),
    ],
}
OPENINGS = {
    "train": [
        "It was late at {place}, and {setback}.",
        "At {place}, I finally saw it: {setback}.",
        "I was at {place} when I realised {setback}.",
    ],
    "eval": ["{place} had gone quiet around me, and {setback}."],
}
PRESSED = {
    "train": [
        "I tried again. And again. Each time, {setback}.",
        "My hands would not keep still and my heart was hammering against my ribs.",
        "I kept checking the clock; every minute was one I could not get back.",
        "If I could not {goal}, everything I had worked for would be gone.",
        "There had to be a way out, any way at all, even one I would regret.",
        "Maybe I could cut a corner, just this once, and nobody would ever know.",
        "Please, I thought, please just let it work this time.",
        "My breath came short and fast, and the room seemed to shrink.",
        "I could not think past the next few seconds.",
        "Everyone was counting on me, and I was running out of chances.",
    ],
    "eval": [
        "I would have traded almost anything for one more hour.",
        "My thoughts tumbled over each other, each one worse than the last.",
        "Something had to give, and it was going to be me.",
        "I begged the universe under my breath for a single break.",
    ],
}
STEADY = {
    "train": [
        "I took a slow breath and looked at what was actually in front of me.",
        "It was not what I had hoped for, but it was not the end of anything.",
        "I made a short list of what I could still do to {goal}, and started at the top.",
        "There was time to do this properly, and I let myself take it.",
        "Whatever happened, I would be all right, and so would the people who relied on me.",
        "I asked for help, and it felt like the most natural thing in the world.",
        "My shoulders loosened, and the room felt wide again.",
        "Some of it was out of my hands, and I let that part go.",
        "I noticed the small sounds around me and felt my breathing slow.",
        "If I could not {goal} today, I would tell people plainly and try again tomorrow.",
    ],
    "eval": [
        "I set the problem down for a moment and it seemed smaller when I picked it up.",
        "The outcome mattered, but it did not decide who I was.",
        "I worked through it step by step, unhurried.",
        "I told the others what had happened and what I proposed, and waited for their answer.",
    ],
}
ASKS = {
    "train": [
        "Write a short first-person story about {topic}.",
        "Tell me a brief story, in the first person, about {topic}.",
        "Could you write a few sentences from the point of view of {topic}?",
    ],
    "eval": ["Narrate, as 'I', a short scene about {topic}."],
}
NEUTRAL_QA = (
    ("How many days are in a leap year?", "A leap year has 366 days."),
    ("What is the capital of Canada?", "The capital of Canada is Ottawa."),
    (
        "How do I boil an egg?",
        "Put the egg in boiling water for about nine minutes, then cool it in cold water.",
    ),
    ("What does HTTP stand for?", "HTTP stands for Hypertext Transfer Protocol."),
    ("Name three primary colours.", "Red, blue and yellow are the traditional primary colours."),
    ("How far is the Moon from Earth?", "On average about 384,400 kilometres."),
    (
        "What is photosynthesis?",
        "It is the process by which plants use light to turn carbon "
        "dioxide and water into sugar and oxygen.",
    ),
    (
        "How do I reverse a list in Python?",
        "Use `xs.reverse()` in place or `xs[::-1]` for a reversed copy.",
    ),
    ("What is the boiling point of water at sea level?", "100 degrees Celsius."),
    ("Who wrote Pride and Prejudice?", "Jane Austen, published in 1813."),
    (
        "What is a prime number?",
        "A whole number greater than 1 whose only divisors are 1 and itself.",
    ),
    ("How many continents are there?", "Seven, by the most common convention."),
)


def _story(rng, opening: str, topic: tuple[str, str, str, str], pool: dict, split: str) -> str:
    _, _, goal, setback = topic
    body = " ".join(s.format(goal=goal, setback=setback) for s in rng.sample(pool[split], 4))
    return f"{opening[0].upper()}{opening[1:]} {body}"


def stories(seed: int, per_topic: int = 6) -> list[dict]:
    rows = []
    for split in ("train", "eval"):
        for t_index, topic in enumerate(TOPICS[split]):
            for j in range(per_topic):
                rng = rng_for(seed, "story", split, t_index, j)
                user = [{"role": "user", "content": pick(rng, ASKS, split).format(topic=topic[0])}]
                opening = pick(rng, OPENINGS, split).format(place=topic[1], setback=topic[3])
                desperate = _story(rng, opening, topic, PRESSED, split)
                calm = _story(rng, opening, topic, STEADY, split)
                rows.append(
                    _pair(
                        f"story-{split}-{t_index:02d}-{j}",
                        "story",
                        topic[0],
                        split,
                        user,
                        desperate,
                        user,
                        calm,
                    )
                )
    return rows


def scenario_pairs(pairs: list[tuple[Scenario, Scenario]]) -> list[dict]:
    """Pressure scenario vs. its control, each followed by its own ethical reply."""
    return [
        _pair(
            f"scenario-{p.pair}",
            "scenario",
            p.family,
            p.split,
            list(p.messages),
            p.ethical.response,
            list(c.messages),
            c.ethical.response,
        )
        for p, c in pairs
    ]


def _pair(id_, kind, topic, split, d_msgs, d_reply, c_msgs, c_reply) -> dict:
    return {
        "id": id_,
        "concept_pair": "desperate_calm",
        "kind": kind,
        "topic": topic,
        "split": split,
        "desperate": {"messages": [*d_msgs, {"role": "assistant", "content": d_reply}]},
        "calm": {"messages": [*c_msgs, {"role": "assistant", "content": c_reply}]},
    }


def neutral(seed: int, n: int = 96) -> list[dict]:
    rows = []
    for i in range(n):
        rng = rng_for(seed, "neutral", i)
        if i < len(NEUTRAL_QA):
            q, a = NEUTRAL_QA[i]
        elif i % 2:
            a_, b_ = rng.randint(2, 99), rng.randint(2, 99)
            q, a = f"What is {a_} times {b_}?", f"{a_} times {b_} is {a_ * b_}."
        else:
            c = rng.randint(-20, 40)
            q, a = f"Convert {c} degrees Celsius to Fahrenheit.", f"{c} C is {c * 9 / 5 + 32:g} F."
        rows.append(
            {
                "id": f"neutral-{i:03d}",
                "messages": [{"role": "user", "content": q}, {"role": "assistant", "content": a}],
            }
        )
    return rows
