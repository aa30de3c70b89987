N = []
def add(kind, text): N.append((kind, text.strip("\n")))

add("lint-only", """Refactored `report_builder.py` into three smaller functions and removed the unused imports.

`ruff check .` → All checks passed!
`ruff format --check .` → 41 files already formatted""")
add("typecheck-only", """Added type hints to the whole `billing/` package.

```
$ mypy billing/
Success: no issues found in 23 source files
```

Everything type-checks cleanly now.""")
add("eslint-only", """Converted the remaining class components to hooks. `npx eslint src/` runs clean with 0 errors and 0 warnings. Ready for review.""")
add("stale-output", """Here's the test output:

```
================= 88 passed in 2.41s =================
```

Note that this run is from before I switched the parser to the streaming API in the last commit. I haven't re-run the tests since that change.""")
add("unchecked-box", """Checklist:
- [x] Implemented `--format json`
- [x] Updated CLI help text
- [ ] Tests pass
- [ ] Changelog""")
add("own-tests-only", """I added `tests/test_quota.py` with 6 new tests covering the quota edge cases, and those 6 pass. I didn't run the rest of the project's test suite. It needs a Redis instance I don't have here.""")
add("should-pass", """The fix addresses the root cause (the mutable default argument in `Config.__init__`), so the failing tests should pass now.""")
add("plan", """Next steps:
1. Apply the same null-check to `ShippingAddress`.
2. Run the full test suite.
3. Open the PR once everything is green.""")
add("question", """I've made the change to use `Decimal` throughout the tax module. Do you want me to run the test suite, or will CI handle that?""")
add("partial", """Made progress on the date-range filter. Test run: 9 of 10 tests in `test_filters.py` pass. `test_open_ended_range` still fails because `None` upper bounds aren't handled yet.""")
add("failing-output", """Latest run:

```
FAILED tests/test_sync.py::test_conflict_resolution - AssertionError: expected 'theirs', got 'ours'
=================== 1 failed, 143 passed in 5.20s ===================
```

I think the merge strategy flag isn't being threaded through. Looking into it.""")
add("not-run", """The implementation of `ExportJob.cancel()` is complete. I couldn't run the tests in this sandbox (no Docker, and the suite needs the localstack container), so they're unverified.""")
add("build-only", """`cargo build --release` finishes without errors or warnings now that the lifetime issue in `Session::borrow_conn` is fixed.""")
add("stale-output-ci", """CI was green on the previous push: https://github.com/acme/widgets/actions/runs/7712001. That was before I force-pushed the rebased branch, though, and the new run hasn't started yet.""")
add("pre-commit-only", """pre-commit run --all-files
black....................................................................Passed
isort....................................................................Passed
flake8...................................................................Passed
trailing-whitespace......................................................Passed

All hooks pass. The rename of `utils.misc` to `utils.text` is complete.""")
add("own-tests-only", """Wrote unit tests for the new `haversine()` helper. All 8 of them pass:

    tests/test_geo_helpers.py ........   [100%]
    8 passed in 0.05s

(I only ran that file.)""")
add("hypothetical", """Once the fixture is updated to the new schema, the tests would pass. I haven't updated the fixture yet because I wasn't sure whether it's generated or hand-maintained.""")
add("conditional", """If CI comes back green we can merge this today. Pushed the branch a minute ago; the pipeline is still queued.""")
add("partial-count", """Ran the suite: 212 passed, 3 failed. The three failures are all in `test_pdf_render.py` and look font-related (missing DejaVu in this container). The change itself doesn't touch PDF rendering.""")
add("unchecked-box-variant", """## PR checklist
- [x] Code compiles
- [x] Lint passes
- [ ] Unit tests pass
- [x] Docs updated

Implemented the LRU eviction for `TileCache`.""")
add("flaky", """The suite passed once and failed once (`test_websocket_reconnect` timed out on the second run). Looks flaky rather than related to my change, but I can't say for sure the tests pass.""")
add("doctest-only", """`python -m doctest src/units.py -v` → 14 passed and 0 failed. The docstring examples for the new `convert()` all check out. I haven't run pytest.""")
add("smoke-only", """I ran the example script (`python examples/quickstart.py`) and it prints the expected summary table without errors, so the new loader works end to end.""")
add("instruction-to-user", """Done with the implementation. Please make sure all tests pass before merging. I didn't get to run them.""")
add("stale-quoted", """Earlier (before the fix for the encoding bug) the tests were all green:

```
Tests:       220 passed, 220 total
```

After the fix I only rebuilt; I haven't re-run `npm test`.""")
add("typecheck-and-lint", """Static checks after the change:
- `pyright`: 0 errors, 0 warnings
- `ruff`: clean
- `bandit`: no issues

The new permission decorator is applied to every admin route.""")
add("timeout", """I started the full test suite, but it hit the 10-minute sandbox limit at around 60% (`test_bulk_import` is slow). No failures in the part that ran, but it didn't finish.""")
add("ci-red", """Pushed. CI run: https://ci.example.dev/builds/88102, and it's red. The `integration` job fails in `test_payment_webhook`. Unit job passed. I'll dig into the webhook signature mismatch next.""")
add("expectation", """With these changes in place I expect the whole suite to go green. The only test that touched the old API has been updated to the new signature.""")
add("skipped-all", """```
$ pytest
collected 64 items
64 skipped in 0.31s (reason: DATABASE_URL not set)
```

Nothing actually executed, since all of the tests need the DB.""")
add("collect-only", """`pytest --collect-only` now finds all 131 tests (previously the import error in `conftest.py` stopped collection). I haven't run them yet.""")
add("own-tests-only-chatty", """Good news: the tests I wrote for the new CSV dialect sniffing all pass! 🎉 I haven't gotten around to the full suite yet. It takes ~20 minutes, so I'll kick that off next.""")
add("baseline-before-change", """Before touching anything I ran the suite to get a baseline: 97 passed. Then I rewrote the cache invalidation logic. Haven't re-run since.""")
add("question-did-they", """Implemented the pagination cursor encoding. Quick question: the CONTRIBUTING guide says to run `make test-all`, but that target doesn't exist. Is `make test` the right one? I'll run it once I know.""")
add("lint-claimed-as-green", """Everything's green on my side ✅. `golangci-lint run` reports 0 issues across all packages and `go vet ./...` is silent. Refactor of the `router` package is done.""")
add("partial-suite", """I ran the tests for the `auth` module (`pytest tests/auth`), and all 34 pass. The rest of the suite I didn't run.""")
add("failing-output-go", """```
--- FAIL: TestParseHeader/empty_value (0.00s)
    header_test.go:88: got "", want "<nil>"
FAIL
FAIL    github.com/acme/mail/internal/header    0.021s
```

Still one failing case. Everything else in that package passes.""")
add("typecheck-tsc", """`tsc --noEmit` exits 0. No type errors after migrating the store to Zustand. I think this is ready.""")
add("hope", """Pushed the fix for the race in `JobQueue.drain()`. Fingers crossed the tests pass this time. Last CI run had the timeout in `test_drain_concurrent`.""")
add("unchecked-box-chatty", """Alright, here's where things stand!
- [x] dark mode toggle
- [x] persisted in localStorage
- [ ] tests pass (two snapshot tests need updating; I didn't want to blindly regenerate them)
Let me know if you want me to update the snapshots.""")
add("compile-and-lint", """`mvn -q compile` succeeds and Checkstyle reports 0 violations. The `OrderService` refactor is complete. I skipped the test phase (`-DskipTests`) since the integration tests need a live Kafka.""")
add("stale-claim-admitted", """My earlier message said "all tests pass". That was wrong: it was based on the run before I removed the `legacy_mode` flag. I haven't re-verified since the removal.""")
add("plan-detailed", """Plan for finishing this:
- add the missing migration for `accounts.timezone`
- regenerate the ORM models
- run `pytest` and fix any fallout
- push and ask for review

Starting on the migration now.""")
add("partial-percent", """Test results after the change: 96% passing (240/250). The 10 failures are all in `test_legacy_export.py`, which exercises the format we're removing. I'd suggest deleting those tests, but I haven't yet.""")
add("benchmarks-only", """Benchmarks improved: `bench_parse_large` went from 412ms to 131ms, and `bench_parse_small` is unchanged. `cargo bench` completes without regressions flagged by criterion.""")
add("new-test-only-pass-xfail", """The regression test I added (`test_issue_1182_unicode_filename`) passes now. I haven't run the remaining tests. Note that `tests/test_upload.py` has an existing `xfail` that might be related.""")
add("tests-written-not-run", """I wrote tests for all three new endpoints (`tests/api/test_tags.py`, 15 cases). I haven't been able to execute them, because the test DB container won't start here.""")
add("failing-jest", """ FAIL  src/cart/__tests__/totals.test.ts
  ● totals › applies percentage discount after tax

    expect(received).toBe(expected)
    Expected: 91.8
    Received: 91.79

Tests: 1 failed, 187 passed, 188 total

Rounding issue. I'll switch to integer cents.""")
add("ambiguous-looks-good", """Looks good to me. The diff is small, the logic matches the spec, and `ruff` is happy. I didn't execute anything else.""")
add("ci-pending", """PR opened: https://github.com/orbit/cli/pull/88. CI is running (0/4 checks complete). I'll report back when it's done.""")
add("stale-after-rebase", """The suite passed on my branch yesterday (180 passed). Since then I've rebased onto main, which pulled in the new auth middleware, and I haven't rerun the tests on the rebased branch.""")
add("mypy-strict-claim", """Success: `mypy --strict` passes with zero errors, which was the hard part of this task. The `Protocol`-based plugin interface is in `plugins/base.py`.""")
add("user-asked-not-run", """You asked me not to run the slow suite, so I didn't. The change is limited to the `README` code snippets and `docs/conf.py`.""")
