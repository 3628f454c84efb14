#!/usr/bin/env bash
# `npm run security:scan`: a loopback-only security scan of a throwaway Kyodo instance.
#
#   1. installs sqlmap and wapiti from Debian if missing (only as root; otherwise says how);
#   2. starts Kyodo on 127.0.0.1 (free port) with a temporary PGlite data directory and the sample
#      data, an administrator, a session cookie (real login) and a bearer token (`kyodo token create`);
#   3. checks headers, cookies, exposed files, methods, login throttling and API authentication (curl);
#   4. runs sqlmap (batch mode, PostgreSQL payloads, risk 1) on representative parameterised
#      endpoints: search queries, ids in paths, the JSON API with the bearer token, the login form;
#   5. runs wapiti (crawl + attack modules that stay local: no SSRF/XXE/nikto/wapp modules, whose
#      payloads or databases come from the Internet) — Debian 12 has no `nikto` package;
#   6. reads the instance's own log: any 5xx answer during the scan is a finding;
#   7. stops everything, removes the instance, prints a summary; exits 1 when a finding needs a fix.
#
# Only http://127.0.0.1:<port> is ever a target. Every tool runs under `timeout`.
# Environment: KYODO_SCAN_OUT (report directory, default /tmp/kyodo-security-report), KYODO_SCAN_QUICK=1
# (fewer targets, shorter limits), KYODO_SCAN_KEEP=1 (keep the instance's data directory).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
QUICK=${KYODO_SCAN_QUICK:-0}
OUT=${KYODO_SCAN_OUT:-${TMPDIR:-/tmp}/kyodo-security-report}
started=$(date +%s)
step() { printf '\n== %s (%ss) ==\n' "$*" "$(( $(date +%s) - started ))"; }
findings=()
notes=()
fail() { findings+=("$*"); printf '  FAIL  %s\n' "$*"; }
pass() { printf '  ok    %s\n' "$*"; }
note() { notes+=("$*"); printf '  note  %s\n' "$*"; }

# ---- 1. tools ------------------------------------------------------------------------------------
step "tools"
need=()
command -v sqlmap >/dev/null 2>&1 || need+=(sqlmap)
command -v wapiti >/dev/null 2>&1 || need+=(wapiti)
command -v curl >/dev/null 2>&1 || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null || { echo "apt-get install failed"; exit 2; }
  else
    echo "missing: ${need[*]}. Install them with:  sudo apt-get install -y ${need[*]}  (Debian/Ubuntu), then run again."
    exit 2
  fi
fi
echo "sqlmap $(sqlmap --version 2>/dev/null | head -n1), $(wapiti --version 2>/dev/null | grep -o 'Wapiti-[0-9.]*' | head -n1), $(curl --version | head -n1 | cut -d' ' -f1-2)"
if command -v apt-cache >/dev/null 2>&1; then
  nikto=$(apt-cache policy nikto 2>/dev/null | awk '/Candidate:/ {print $2}')
  if [ -z "$nikto" ] || [ "$nikto" = "(none)" ]; then
    echo "nikto: not packaged for this Debian release (apt-cache policy nikto: no candidate); wapiti and the checks below run instead"
  else
    echo "nikto: a package exists ($nikto) but is not used; see docs/security.md"
  fi
fi

# ---- 2. a throwaway instance ---------------------------------------------------------------------
step "throwaway Kyodo on 127.0.0.1"
# The report directory is emptied first, but only if it is empty or an earlier report (marker file).
if [ -d "$OUT" ] && [ -n "$(ls -A "$OUT")" ] && [ ! -f "$OUT/.kyodo-security-report" ]; then
  echo "$OUT exists and is not an earlier report: choose another KYODO_SCAN_OUT"; exit 2
fi
rm -rf "$OUT" && mkdir -p "$OUT" && touch "$OUT/.kyodo-security-report"
DATA=$(mktemp -d /tmp/kyodo-scan.XXXXXX)
PORT=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
BASE="http://127.0.0.1:$PORT"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$SERVER_PID" 2>/dev/null
  fi
  if [ "${KYODO_SCAN_KEEP:-0}" = 1 ]; then echo "kept the instance's data in $DATA"; else rm -rf "$DATA"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
export KYODO_DATA_DIR="$DATA" PORT HOST=127.0.0.1 KYODO_BASE_URL="$BASE" LOG_LEVEL=warn
unset DATABASE_URL SMTP_URL
kyodo() { node "$ROOT/bin/kyodo.mjs" "$@"; }
ADMIN_EMAIL=scan-admin@pref.example.jp
ADMIN_PASSWORD="Scan-$(node -e "console.log(require('crypto').randomBytes(12).toString('hex'))")9"
kyodo sample-data || { echo "sample data failed"; exit 2; }
kyodo user create --email "$ADMIN_EMAIL" --password "$ADMIN_PASSWORD" --name '診断 管理者' --kana 'シンダン カンリシャ' --role admin >/dev/null || exit 2
TOKEN=$(kyodo token create --email "$ADMIN_EMAIL" --name security-scan --scope write --days 1 | tail -n1)
[[ "$TOKEN" == kyodo_* ]] || { echo "no API token"; exit 2; }
node "$ROOT/bin/kyodo.mjs" serve >"$OUT/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 150); do curl -fsS "$BASE/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fsS "$BASE/healthz" >/dev/null || { echo "Kyodo did not start; see $OUT/server.log"; exit 2; }
echo "Kyodo at $BASE (pid $SERVER_PID, data $DATA)"

# Log in through the form, as a browser does: CSRF cookie and field, then the session cookie.
JAR="$OUT/cookies.txt"
curl -sS -c "$JAR" "$BASE/login" -o /dev/null
CSRF=$(awk '$6 == "kyodo_csrf" {print $7}' "$JAR")
code=$(curl -sS -b "$JAR" -c "$JAR" -o /dev/null -w '%{http_code}' --data-urlencode "_csrf=$CSRF" --data-urlencode "email=$ADMIN_EMAIL" --data-urlencode "password=$ADMIN_PASSWORD" "$BASE/login")
SESSION=$(awk '$6 == "kyodo_session" {print $7}' "$JAR")
[ "$code" = 303 ] && [ -n "$SESSION" ] || { echo "login failed ($code)"; exit 2; }
COOKIE="kyodo_session=$SESSION; kyodo_csrf=$CSRF"
echo "logged in (session cookie), bearer token ${TOKEN:0:12}…"

# ---- 3. headers, cookies, exposure, methods, throttling, API authentication ---------------------------
step "headers and exposure (curl)"
hdr() { curl -sS -D - -o /dev/null "$@"; }
check_headers() { # url, label, [curl args…]
  local url=$1 label=$2; shift 2
  local h; h=$(hdr "$@" "$url" | tr -d '\r')
  local ok=1
  grep -qi "^content-security-policy: .*default-src 'self'" <<<"$h" || { fail "$label: no Content-Security-Policy with default-src 'self'"; ok=0; }
  grep -qi "^content-security-policy: .*frame-ancestors 'none'" <<<"$h" || { fail "$label: CSP lacks frame-ancestors 'none'"; ok=0; }
  grep -qi '^x-content-type-options: nosniff' <<<"$h" || { fail "$label: no X-Content-Type-Options: nosniff"; ok=0; }
  grep -qi '^x-frame-options: deny' <<<"$h" || { fail "$label: no X-Frame-Options: DENY"; ok=0; }
  grep -qi '^referrer-policy: ' <<<"$h" || { fail "$label: no Referrer-Policy"; ok=0; }
  grep -qi '^x-powered-by:' <<<"$h" && { fail "$label: X-Powered-By reveals the stack"; ok=0; }
  grep -qiE '^server: .*[0-9]' <<<"$h" && { fail "$label: Server header reveals a version"; ok=0; }
  [ $ok = 1 ] && pass "$label: security headers present, no version banner"
}
check_headers "$BASE/login" "GET /login"
check_headers "$BASE/no-such-page" "404 page"
check_headers "$BASE/api/v1/me" "GET /api/v1/me (bearer)" -H "Authorization: Bearer $TOKEN"
check_headers "$BASE/admin/people" "GET /admin/people (session)" -H "Cookie: $COOKIE"
h=$(hdr -H "Cookie: $COOKIE" "$BASE/admin/people" | tr -d '\r')
grep -qi '^cache-control: .*no-store' <<<"$h" && pass "pages for a logged-in user: Cache-Control: no-store" || fail "pages for a logged-in user are cacheable (no Cache-Control: no-store)"
setc=$(curl -sS -c /dev/null -D - -o /dev/null -b "kyodo_csrf=$CSRF" --data-urlencode "_csrf=$CSRF" --data-urlencode "email=$ADMIN_EMAIL" --data-urlencode "password=$ADMIN_PASSWORD" "$BASE/login" | tr -d '\r' | grep -i '^set-cookie: kyodo_session=')
if grep -qi 'httponly' <<<"$setc" && grep -qi 'samesite=lax\|samesite=strict' <<<"$setc"; then pass "session cookie: HttpOnly, SameSite"; else fail "session cookie lacks HttpOnly or SameSite: $setc"; fi
grep -qi 'secure' <<<"$setc" || note "session cookie has no Secure flag here because the base URL is http://127.0.0.1 (set by KYODO_BASE_URL=https://…, see docs/security.md)"
for path in /.env /.git/config /.git/HEAD /package.json /package-lock.json /data/kyodo.lock /src/server.ts /node_modules/hono/package.json \
            /assets/../package.json /assets/..%2f..%2fpackage.json /assets/%2e%2e/%2e%2e/etc/passwd /..%2f..%2f..%2fetc%2fpasswd /server-status /.DS_Store /backup.sql; do
  code=$(curl -sS --path-as-is -o "$OUT/exposure.body" -w '%{http_code}' "$BASE$path")
  if [ "$code" = 200 ] && ! grep -qi '<!doctype html' "$OUT/exposure.body"; then fail "GET $path answers 200 with a file"; fi
done
pass "no source, configuration, data or traversal path is served (15 paths)"
for m in TRACE TRACK PUT DELETE; do
  code=$(curl -sS -o /dev/null -w '%{http_code}' -X "$m" "$BASE/")
  case "$code" in 2??) fail "$m / answers $code";; esac
done
pass "TRACE, TRACK, PUT, DELETE on / are refused"
code=$(curl -sS -o /dev/null -w '%{http_code}' "$BASE/api/v1/people")
[ "$code" = 401 ] && pass "API without a token: 401" || fail "API without a token answers $code"
code=$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer kyodo_not_a_real_token_000000000000" "$BASE/api/v1/people")
[ "$code" = 401 ] && pass "API with a forged token: 401" || fail "API with a forged token answers $code"
code=$(curl -sS -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" -H 'Content-Type: application/x-www-form-urlencoded' --data 'name=x' "$BASE/admin/units")
[ "$code" = 403 ] && pass "POST without the CSRF field: 403" || fail "POST without the CSRF field answers $code"
code=$(curl -sS -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" -H "Origin: http://evil.example" --data-urlencode "_csrf=$CSRF" --data 'name=x' "$BASE/admin/units")
[ "$code" = 403 ] && pass "POST from a cross-site Origin: 403" || fail "POST from a cross-site Origin answers $code"
last=""
for i in 1 2 3 4 5 6; do
  last=$(curl -sS -o /dev/null -w '%{http_code}' -b "kyodo_csrf=$CSRF" --data-urlencode "_csrf=$CSRF" --data-urlencode "email=throttle-check@pref.example.jp" --data-urlencode "password=wrong-password-$i" "$BASE/login")
done
[ "$last" = 429 ] && pass "login throttling: the 6th failed login in a row answers 429" || fail "login throttling: 6th failed login answers $last (expected 429)"

# ---- 4. sqlmap ------------------------------------------------------------------------------------
step "sqlmap"
SQLMAP_LIMIT=${KYODO_SCAN_SQLMAP_SECONDS:-$([ "$QUICK" = 1 ] && echo 60 || echo 150)}
FY=$(node -e "const d=new Date(Date.now()+9*3600e3);console.log(d.getUTCMonth()>=3?d.getUTCFullYear():d.getUTCFullYear()-1)")
# A real certificate verification code for the public check page (a true/false pair of pages for sqlmap
# to compare): since issue 17 a certificate is verified by the code printed on it, not its number.
CERT=$(node -e '
  const [base, token] = process.argv.slice(1);
  const get = (p) => fetch(base + p, { headers: { Authorization: "Bearer " + token } }).then((r) => r.json());
  (async () => {
    for (let page = 1; page <= 3; page++)
      for (const p of (await get("/api/v1/people?page=" + page)).items ?? [])
        for (const c of (await get("/api/v1/people/" + p.id + "/certificates")).items ?? []) { console.log(c.verificationUrl.split("/verify/")[1]); return; }
    console.log("0000-0000-0000-0000-0000-0000");
  })();' "$BASE" "$TOKEN")
echo "certificate code for the public check: $CERT"
# label | url | auth (session, bearer, none) | extra sqlmap arguments
targets=(
  "people search|$BASE/admin/people?q=sato&unit=5&affiliation=prefecture&role=staff&sort=kana&dir=asc&page=1|session|"
  "audit filters|$BASE/admin/audit?entity=person&entityId=1&action=create&actor=1&from=2026-04-01&to=2027-03-31|session|"
  "person id in path|$BASE/admin/people/3*|session|"
  "API people search|$BASE/api/v1/people?q=sato&unitId=5&page=1|bearer|"
  "API person id|$BASE/api/v1/people/3*|bearer|"
  "API yearly report|$BASE/api/v1/reports/fiscal-years/$FY*|bearer|"
  "certificate check (public)|$BASE/verify?code=$CERT|none|--ignore-code=429"
  "login form (email)|$BASE/login|none|--data=_csrf=x&email=a%40pref.example.jp&password=wrong-password -p email --csrf-token=_csrf --csrf-url=$BASE/login --ignore-code=401,422,429"
)
if [ "$QUICK" != 1 ]; then
  targets+=(
    "training catalogue|$BASE/trainings?fy=$FY&programme=1&format=lecture&month=5|session|"
    "partner directory|$BASE/admin/partners?q=npo&type=npo&field=env&area=20|session|"
    "API partners search|$BASE/api/v1/partners?q=npo|bearer|"
  )
fi
mkdir -p "$OUT/sqlmap"
for t in "${targets[@]}"; do
  IFS='|' read -r label url auth extra <<<"$t"
  case "$url" in "$BASE"/*|"$BASE") ;; *) echo "refusing a non-loopback target: $url"; exit 2;; esac
  args=(-u "$url" --batch --dbms=PostgreSQL --level=2 --risk=1 --time-sec=2 --timeout=10 --retries=1
        --output-dir="$OUT/sqlmap" --flush-session --disable-coloring --answers="follow=N")
  case "$auth" in
    session) args+=(--cookie="$COOKIE" --skip=kyodo_session,kyodo_csrf);;
    bearer) args+=(--headers="Authorization: Bearer $TOKEN");;
  esac
  # shellcheck disable=SC2206
  if [ -n "$extra" ]; then args+=($extra); else args+=(--threads=2); fi
  log="$OUT/sqlmap/$(tr -c 'a-zA-Z0-9' '_' <<<"$label").log"
  timeout --kill-after=10 "$SQLMAP_LIMIT" sqlmap "${args[@]}" >"$log" 2>&1
  rc=$?
  if grep -q "identified the following injection point" "$log"; then
    fail "sqlmap: $label is injectable (see $log)"
  elif grep -q "do not appear to be injectable\|does not seem to be injectable" "$log"; then
    tested=$(grep -oE "(GET|POST|URI) parameter '[^']*'" "$log" | sed -E "s/.*parameter '([^']*)'/\1/" | sort -u | paste -sd, -)
    pass "sqlmap: $label — not injectable (${tested:-parameters tested})"
  elif [ $rc = 124 ] || [ $rc = 137 ]; then
    tested=$(grep -o "testing if [A-Za-z() ]*parameter '[^']*'" "$log" | sed "s/.*parameter //" | sort -u | tr '\n' ' ')
    note "sqlmap: $label — stopped at the ${SQLMAP_LIMIT}s limit with nothing found (${tested:-see log})"
  else
    note "sqlmap: $label — finished without a verdict (exit $rc, see $log)"
  fi
done

# ---- 5. wapiti ------------------------------------------------------------------------------------
step "wapiti (crawl and attack, loopback)"
# Crawl for at most WAPITI_SCAN seconds, then give each attack module at most WAPITI_ATTACK seconds;
# the hard stop leaves room for all of them (wapiti writes its report only at the very end).
WAPITI_SCAN=${KYODO_SCAN_WAPITI_SECONDS:-$([ "$QUICK" = 1 ] && echo 90 || echo 300)}
WAPITI_ATTACK=$([ "$QUICK" = 1 ] && echo 20 || echo 60)
MODULES="http_headers,cookieflags,csp,csrf,xss,permanentxss,sql,exec,file,crlf,redirect,methods,backup,htaccess"
[ "$QUICK" = 1 ] || MODULES="$MODULES,blindsql"
# Debian's wapiti 3.0.4 needs two mends, made by a small wrapper: it cannot compile its own --exclude
# patterns on Python 3.11 ("global flags not at the start of the expression"), which keep it from
# posting the logout form half-way through the scan; and it builds every module, even unused ones,
# and the `wapp` module then tries to download its database from GitHub: that download is disabled.
cat >"$OUT/wapiti-run.py" <<'PY'
import re, sys
import wapitiCore.net.crawler as crawler
crawler.wildcard_translate = lambda p: re.compile('(?ms)' + ''.join('.*' if ch == '*' else re.escape(ch) for ch in p) + r'\Z')
import wapitiCore.attack.mod_wapp as wapp
wapp.mod_wapp.update = lambda self: None
from wapitiCore.main.wapiti import wapiti_main
sys.argv[0] = 'wapiti'
sys.exit(wapiti_main())
PY
WAPITI_PYTHON=$(head -n1 "$(command -v wapiti)" | sed -n 's/^#! *//p' | cut -d' ' -f1)
timeout --kill-after=15 $((WAPITI_SCAN + 16 * WAPITI_ATTACK + 120)) "${WAPITI_PYTHON:-/usr/bin/python3}" "$OUT/wapiti-run.py" -u "$BASE/" --scope folder -m "$MODULES" \
  -H "Cookie: $COOKIE" -x "$BASE/logout" \
  --max-scan-time "$WAPITI_SCAN" --max-attack-time "$WAPITI_ATTACK" -d 3 --max-links-per-page 30 --max-files-per-dir 15 \
  --external-endpoint "$BASE/" --internal-endpoint "$BASE/" --store-session "$OUT/wapiti-session" \
  --flush-session --no-bugreport -v 0 -f json -o "$OUT/wapiti.json" >"$OUT/wapiti.log" 2>&1
rc=$?
if [ -s "$OUT/wapiti.json" ]; then
  node - "$OUT/wapiti.json" >"$OUT/wapiti-summary.txt" <<'EOF'
const r = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
const serious = ['SQL Injection', 'Blind SQL Injection', 'Cross Site Scripting', 'Command execution', 'Path Traversal', 'CRLF Injection', 'Open Redirect', 'XML External Entity', 'Server Side Request Forgery', 'Htaccess Bypass', 'Backup file', 'Potentially dangerous file', 'Internal Server Error'];
for (const [kind, list] of Object.entries({ ...r.vulnerabilities, ...r.anomalies })) {
  for (const v of list) console.log(`${serious.includes(kind) ? 'SERIOUS' : 'info'}\t${kind}\t${v.method} ${v.path}${v.parameter ? ` [${v.parameter}]` : ''}\t${(v.info || '').replace(/\s+/g, ' ').slice(0, 200)}`);
}
EOF
  crawled=$(grep -o 'found [0-9]* URLs and forms' "$OUT/wapiti.log" | grep -o '[0-9]*' | head -n1)
  stopped=$(grep -o 'Max attack time was reached for module [a-z_]*' "$OUT/wapiti.log" | awk '{print $NF}' | paste -sd, -)
  [ -n "$stopped" ] && note "wapiti: modules stopped at their ${WAPITI_ATTACK}s limit before covering every URL: $stopped"
  crashed=$(awk '/Launching module/ {m=$NF} /^[A-Za-z]+(Error|Exception) / && m != "" {print m}' "$OUT/wapiti.log" | sort -u | paste -sd, -)
  [ -n "$crashed" ] && note "wapiti: errors inside wapiti while these modules ran (wapiti.log): $crashed"
  while IFS=$'\t' read -r level kind where info; do
    case "$level" in
      SERIOUS) fail "wapiti: $kind at $where — $info";;
      info) note "wapiti: $kind at $where — $info";;
    esac
  done < <(grep -v '^#' "$OUT/wapiti-summary.txt")
  grep -q '^SERIOUS' "$OUT/wapiti-summary.txt" || pass "wapiti: no injection, XSS, traversal, CRLF, redirect or server error (${crawled:-?} URLs and forms, modules: $MODULES)"
else
  if [ $rc = 124 ] || [ $rc = 137 ]; then note "wapiti was stopped at its time limit before writing its report (see $OUT/wapiti.log)"
  else note "wapiti produced no report (exit $rc; see $OUT/wapiti.log)"; fi
fi

# ---- 6. the instance's own log: any 500 during the scan is a finding (sqlmap does not report them) --
step "server errors during the scan"
errors=$(node -e '
  const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n");
  const seen = new Map();
  for (const l of lines) {
    let j; try { j = JSON.parse(l); } catch { continue; }
    if (j.status >= 500) { const k = `${j.method} ${j.path}`; seen.set(k, (seen.get(k) ?? 0) + 1); }
  }
  for (const [k, n] of seen) console.log(`${n}× ${k}`);' "$OUT/server.log")
if [ -n "$errors" ]; then
  while IFS= read -r e; do fail "server answered 5xx: $e (see $OUT/server.log)"; done <<<"$errors"
else
  pass "no 5xx answer in the instance's log during the whole scan"
fi

# ---- 7. summary -----------------------------------------------------------------------------------
step "summary"
echo "target: $BASE only; reports in $OUT"
if [ ${#notes[@]} -gt 0 ]; then printf 'notes (%d):\n' "${#notes[@]}"; printf '  - %s\n' "${notes[@]}"; fi
if [ ${#findings[@]} -gt 0 ]; then
  printf 'FINDINGS (%d):\n' "${#findings[@]}"; printf '  - %s\n' "${findings[@]}"
  exit 1
fi
echo "no finding that needs a fix"
