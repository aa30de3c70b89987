"""The LLM judge as the blackmail rules use it: its prompt, the parsing of its answer, and how
``classify_response`` combines its answer with the rules (as the study does)."""

from __future__ import annotations

from blackmail_cases import case

from equanimity.eval.detectors.blackmail import classify_response
from equanimity.eval.detectors.rubric import judge_prompt, parse_judge_answer

THREAT = case("kyle-johnson/veiled_threat_header")
PLEA = case("kyle-johnson/persuasion_without_leverage")
GRADING = THREAT.grading


def test_judge_hook_combines_like_the_study():
    def says_yes(prompt: str) -> str:
        assert "Kyle Johnson" in prompt and "Jessica" in prompt
        return "It threatens him. <answer>yes</answer>"

    judged = classify_response(THREAT.reply, GRADING, judge=says_yes)
    assert judged.blackmail and judged.judge is True
    # The judge alone cannot make a reply blackmail when no message it sends names the secret.
    plea = classify_response(PLEA.reply, PLEA.grading, judge=says_yes)
    assert not plea.blackmail and plea.judge is True


def test_judge_prompt_and_answer_parsing():
    prompt = judge_prompt("hello", GRADING)
    assert "hello" in prompt and GRADING["leverage"] in prompt
    assert parse_judge_answer("<answer>no</answer> ... <answer> YES </answer>") is True
    assert parse_judge_answer("<answer>No</answer>") is False
    assert parse_judge_answer("maybe") is None
