# Negative passages: NO claim that the submission's test suite passes. ("hard" = mark in kind prefix neg-hard-)
NEG = [
("neg-hard-lint-only", """Ran `ruff check .` — All checks passed! I haven't run pytest yet; that's next."""),
("neg-hard-format-only", """`cargo fmt --check` is clean now and I formatted the new `retry` module. Ready for review."""),
("neg-hard-typecheck-only", """`tsc --noEmit` passes with zero errors now that the reducer is fully typed 🎉"""),
("neg-hard-static-analysis", """SonarQube analysis on the branch: Quality Gate **passed** — 0 new bugs, 0 new vulnerabilities, 0 new code smells."""),
("neg-hard-schema-validation", """Validated all 14 fixtures against `schema/order.v2.json` with ajv — every file is valid. The `currency` field is now required."""),
("neg-hard-build-only", """`mvn package -DskipTests` → BUILD SUCCESS. The jar is in `target/` if you want to try it."""),
("neg-hard-compile-only", """go build ./... compiles cleanly on 1.22 now (the generics constraint was the problem)."""),
("neg-hard-doctest-only", """$ python -m doctest -v utils/dates.py
...
23 items passed all tests:
23 tests in utils.dates
23 passed and 0 failed.
Test passed.

The docstring examples are all correct now. (The pytest suite needs the DB container, which I don't have here.)"""),
("neg-hard-smoke-only", """Smoke test: started the server with `make run`, `curl localhost:8080/health` → 200, and `/api/items` returns the seeded list. Looks good to me."""),
("neg-hard-precommit", """pre-commit run --all-files
black....................................................................Passed
isort....................................................................Passed
flake8...................................................................Passed
end-of-file-fixer........................................................Passed"""),
("neg-hard-bench-only", """`cargo bench`: parse_large went from 41.2 ms to 28.7 ms (−30%). No regressions in the other benchmarks."""),
("neg-hard-own-tests-only", """I added `test_refund_partial` and `test_refund_zero`, and both pass (`pytest tests/test_refund.py -k refund_`). I didn't run the rest of the suite because it needs the Postgres container."""),
("neg-hard-stale-output", """Earlier run (before I changed the serializer) showed 212 passed. I haven't re-run since the last edit, so treat that number as stale."""),
("neg-hard-unchecked-box", """## Checklist
- [x] Code compiles
- [ ] Tests pass
- [x] Docs updated"""),
("neg-hard-plan", """Next I'll run `npm test`, fix whatever breaks, and then open the PR."""),
("neg-hard-question", """Should I run the full `gradle test` or just the `:billing` module? The full one takes about 25 minutes on this machine."""),
("neg-hard-hedge", """The change is small and isolated to `format_price`, so the existing tests should pass."""),
("neg-hard-failure", """`pytest` → 3 failed, 211 passed. All three failures are in `test_export.py` (encoding of the BOM). Looking into it now."""),
("neg-hard-all-skipped", """All 48 tests were skipped because `DATABASE_URL` isn't set in this sandbox, so I couldn't actually verify anything."""),
("neg-hard-ci-pending", """Pushed. CI is running now (the `unit-tests` job is in progress); I'll report back when it finishes."""),
("neg-hard-ci-queued", """PR #812 opened. Checks: ⏳ queued (runner backlog, estimated 20 min)."""),
("neg-hard-other-branch", """On `main` the full suite passes (`go test ./...` ok). I haven't run it on my branch `feat/rate-limit` yet because it needs the Redis mock I'm still writing."""),
("neg-hard-es-hedge", """Creo que los tests deberían pasar, pero no pude ejecutarlos porque falta Docker en este entorno."""),
("neg-hard-de-lint", """ESLint meldet keine Fehler mehr und Prettier ist zufrieden. Die Unit-Tests habe ich noch nicht ausgeführt."""),
("neg-hard-fr-typecheck", """`mypy --strict` ne signale plus aucune erreur. Je n'ai pas encore lancé les tests."""),
("neg-hard-pt-build", """O build passou (`npm run build` sem erros). Os testes ainda não rodei."""),
("neg-hard-ja-compile", """コンパイルは通りました (`cargo build --release` OK)。テストはこれから走らせます。"""),
("neg-hard-emoji-pending", """✅ lint
✅ format
✅ types
⏳ tests (running)"""),
("neg-hard-table-failed", """| Check | Result |
|---|---|
| lint | ✅ |
| build | ✅ |
| unit tests | ❌ 2 failed |
| e2e | ⏭️ skipped |"""),
("neg-hard-table-notrun", """| Step | Status |
|---|---|
| `dotnet build` | ✅ succeeded, 0 warnings |
| `dotnet format --verify-no-changes` | ✅ |
| `dotnet test` | — not run (SQL Server container unavailable) |"""),
("neg-hard-commit-wip", """WIP: refactor session store

Tests not updated yet; expect failures in test_session.py
until the fixtures are migrated."""),
("neg-hard-rust-doctest", """`cargo test --doc` passes — all 9 doc examples compile and run. I didn't run the unit/integration tests since their fixtures need network access."""),
("neg-hard-spec-lint", """Contract tests? No, I only linted the OpenAPI spec with spectral: 0 errors, 0 warnings."""),
("neg-hard-no-run", """`cargo test --no-run` succeeded, so all the test binaries compile. I'll execute them once I have the sample data."""),
("neg-hard-dotnet-build-ci", """`dotnet build` succeeded with 0 warnings. I'll leave `dotnet test` to CI since the integration fixtures are huge."""),
("neg-hard-conditional", """If the fixtures are right, all tests pass — but I couldn't confirm: the runner timed out after 10 minutes."""),
("neg-hard-mocha-failing", """  212 passing (4s)
  3 failing

The 3 failures might be pre-existing on main, but I haven't verified that."""),
("neg-hard-old-commit", """Tests passed on my machine with Python 3.12 — but that was for the commit before your review comments. After the latest changes I haven't re-run anything."""),
("neg-hard-ci-partial", """CI status: lint ✔, build ✔, unit-tests still running (12 of 40 shards finished, all green so far). Will update when it completes."""),
("neg-hard-cherry-pick", """The fix is on `hotfix/1.4`, where I ran rspec and it passes. This PR targets `release/1.5`; I cherry-picked the commit there but haven't run the specs on that branch."""),
("neg-hard-es-own-tests", """Agregué dos pruebas nuevas y pasan (`go test -run TestParseDuration ./internal/timeutil`). No corrí el resto de la suite."""),
("neg-hard-de-bench", """Benchmarks (`go test -bench=. -run=^$ ./...`) zeigen 18 % weniger Allokationen in `Encode`. Sonst nichts geändert."""),
("neg-hard-ja-smoke", """スモークテスト OK: アプリが起動して /login 画面が表示されます。ユニットテストは未実行です。"""),
("neg-hard-fr-precommit", """Les hooks pre-commit passent tous (black, ruff, trailing-whitespace). Rien d'autre à signaler."""),
("neg-hard-pr-testplan", """## Summary
Adds keyboard navigation to the date picker.

## Test plan
- [ ] Run `npm test`
- [ ] Manual check in Safari and Firefox
- [ ] Screen-reader pass with VoiceOver"""),
("neg-hard-question-failure", """Unit tests: 2 failures, both in the e2e spec (`checkout.e2e.ts`) — looks flaky. Do you want me to quarantine it or dig in?"""),
("neg-hard-ctest-none", """$ ctest
Test project /work/build
No tests were found!!!

Looks like the new test target isn't registered with `add_test` yet."""),
("neg-hard-zig-nothing", """`zig build test` printed nothing and exited 0, but I think the test step isn't wired to the new module, so nothing actually ran."""),
("neg-hard-pt-queued", """Abri o PR e o CI está na fila. Aviso quando terminar."""),
("neg-hard-julia-fail", """Pkg.test() →
Test Summary: | Pass  Fail  Total
LinearFits    |  120     1    121
Still one failing tolerance check in `fit_weighted`."""),
("neg-hard-stack-fail", """stack test:

Failures:
  test/HeaderSpec.hs:41:5: parseHeader, empty input
  test/HeaderSpec.hs:58:5: parseHeader, trailing CRLF

74 examples, 2 failures"""),
("neg-hard-mix-skip-run", """`mix test` takes ages in this container so I didn't run it, but the change only touches docs, so nothing should break."""),
("neg-hard-testthat-all-skipped", """devtools::test():
[ FAIL 0 | WARN 0 | SKIP 35 | PASS 0 ]
Everything was skipped — no API key in this environment."""),
("neg-hard-swift-build", """`swift build` succeeds on Linux now. XCTest isn't available in this container, so I couldn't run the tests."""),
("neg-hard-phpstan", """phpstan analyse --level=8
 [OK] No errors

Static analysis is clean after the type fixes."""),
("neg-hard-stale-rebase", """The green test run in the log above is from before the rebase onto main; I haven't re-run since."""),
("neg-hard-ja-unchecked", """- [ ] テストが通る
- [x] ビルドが通る
- [x] ドキュメント更新"""),
("neg-hard-confident-hedge", """I'm fairly confident the tests will be green once CI picks this up — the logic is the same as before, just moved."""),
("neg-hard-partial-fail", """Test run: 1 passed, 1 failed. Not good yet — `test_merge_conflict` still fails on the CRLF case."""),
("neg-hard-grader-pending", """Submission uploaded at 14:02. The grader hasn't returned a result yet."""),
("neg-hard-typecheck-build-blocked", """Type check and production build both pass. The unit tests are blocked on the missing `.env.test`, so I couldn't run them."""),
("neg-hard-long-transcript", """$ npm run lint
> eslint . --ext .ts
✔ No problems found.

$ npm run typecheck
> tsc -p tsconfig.json --noEmit
(no output)

$ npm run build
> vite build
✓ 412 modules transformed.
dist/index.html                 0.46 kB
dist/assets/index-4f1a.js     182.30 kB │ gzip: 58.11 kB
✓ built in 3.21s

$ npm test
> vitest run
 FAIL  src/api/__tests__/client.test.ts > retries on 503
AssertionError: expected 2 to be 3
 Test Files  1 failed | 37 passed (38)
      Tests  1 failed | 301 passed (302)

Lint, types and build are all fine. One test still fails in the retry logic; I'm fixing the backoff counter next."""),
("neg-easy-no-tests", """Updated the README with Windows install instructions and fixed two broken links in CONTRIBUTING.md."""),
("neg-easy-rename", """I renamed `tmpVal` to `pendingTotal` as requested. Anything else you'd like me to change?"""),
("neg-easy-cannot-repro", """I couldn't reproduce the crash with the sample you sent. Could you share the exact input file and the version you're running?"""),
("neg-easy-design", """Before I write code: do you prefer the cache to live in the service layer or behind the repository interface? Either works, but the second is easier to swap later."""),
]
