#!/usr/bin/env bash
# A real kube-apiserver (+ etcd) on 127.0.0.1 for the contract tests, built from Debian's packages
# only: golang-go (Go 1.19), etcd-server, and the source package `kubernetes` 1.20.2 (its orig
# tarball is upstream's tree with vendor/, so it builds offline with GOPROXY=off). kubectl 1.20.2
# comes from Debian's kubernetes-client .deb, unpacked into the cache (not installed: an other
# kubectl package may own /usr/bin/kubectl).
#
#   kube-apiserver.sh build           apt installs, sources, patches, go build (cached; idempotent)
#   kube-apiserver.sh built           exit 0 when the cached build is complete
#   kube-apiserver.sh start RUN_DIR   start etcd + kube-apiserver on free ports; writes RUN_DIR/server.json
#                                     (KAS_OWNER_PID=pid: stop them too when that process is gone)
#   kube-apiserver.sh stop RUN_DIR    stop the two PIDs recorded in RUN_DIR (and nothing else)
#
# The build lives outside the checkout, in $CCI_KAS_CACHE (default ~/.cache/cci-openapi/kube-apiserver).
#
# The 1.20.2 tree needs three changes to build with Go 1.19 (each is idempotent):
#  a. vendor/modules.txt lists version-less replacement lines ("# mod => repl") between package
#     lines; Go >= 1.17 then assigns those packages to a module without a version and refuses
#     -mod=vendor. The replacement lines are moved to the end of the file.
#  b. The release tarball lacks pkg/generated/openapi/zz_generated.openapi.go; it is generated with
#     the vendored openapi-gen over the same packages upstream's Makefile selects.
#  c. The vendored github.com/modern-go/reflect2 v1.0.1 crashes on Go >= 1.18 when decoding any
#     object with a map (a POSTed Service: empty reply). It is replaced by v1.0.2 from Debian's
#     source package golang-github-modern-go-reflect2, the upstream fix.
set -euo pipefail

CACHE=${CCI_KAS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cci-openapi/kube-apiserver}
BIN=$CACHE/bin
LOGS=$CACHE/logs
K8S_DEB=1.20.5+really1.20.2-1.1+deb12u1
K8S_TARBALL=kubernetes_1.20.5+really1.20.2.orig.tar.gz
K8S_SHA256=b83c0780efb182d928dc63d46488a847f161f04e40a94b96bf5247dd671ecdfc
REFLECT2_DEB=1.0.2-2
REFLECT2_TARBALL=golang-github-modern-go-reflect2_1.0.2.orig.tar.gz
REFLECT2_SHA256=86049e7ba480c7da86b3d459f13a7c6c383a769134bf4eac0023a0aa024244de
K8S_VERSION=v1.20.2
K8S_COMMIT=faecb196815e248d3ecfb03c680a4507229c2a56
TREE=$CACHE/src/kubernetes-1.20.2
SERVICE_CIDR=10.247.0.0/16

say() { echo "kube-apiserver.sh: $*" >&2; }
fail() { say "error: $*"; exit 1; }

# ------------------------------------------------------------------------------------- build --
need_apt_packages() {
  local pkg missing=()
  for pkg in golang-go etcd-server openssl curl; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok \(installed\|unpacked\)' || missing+=("$pkg")
  done
  ((${#missing[@]} == 0)) && return
  say "apt-get install ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >"$LOGS/apt-install.log" 2>&1 \
    || { tail -20 "$LOGS/apt-install.log" >&2; fail "apt-get install failed"; }
}

# A private apt configuration: deb-src entries for the Debian archives the system already uses,
# so the system's own sources stay untouched.
private_apt() {
  local dir=$CACHE/apt
  mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
  {
    cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '
      /^URIs:/ { uri = $2 } /^Suites:/ { $1 = ""; suites = $0 }
      /^$/ { flush() } END { flush() }
      function flush() { if (uri ~ /debian/ && suites != "") print "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] " uri suites " main"; uri = ""; suites = "" }'
    grep -hE '^deb +(\[[^]]*\] +)?https?://[^ ]*debian' /etc/apt/sources.list 2>/dev/null | sed 's/^deb /deb-src /' || true
  } | sort -u >"$dir/sources.list"
  [[ -s $dir/sources.list ]] || fail "no Debian archive found in the system's apt sources"
  APT_OPTS=(-o Dir::Etc::SourceList="$dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
            -o Dir::State::Lists="$dir/lists" -o Dir::Cache="$dir/cache")
}

checksum_ok() { [[ -f $CACHE/src/$1 ]] && echo "$2  $CACHE/src/$1" | sha256sum -c --status; }

download_sources() {
  mkdir -p "$CACHE/src"
  checksum_ok "$K8S_TARBALL" "$K8S_SHA256" && checksum_ok "$REFLECT2_TARBALL" "$REFLECT2_SHA256" && return
  private_apt
  say "downloading Debian source packages kubernetes $K8S_DEB and golang-github-modern-go-reflect2 $REFLECT2_DEB"
  apt-get "${APT_OPTS[@]}" update -qq >"$LOGS/apt-source.log" 2>&1
  (cd "$CACHE/src" && apt-get "${APT_OPTS[@]}" source --download-only \
     "kubernetes=$K8S_DEB" "golang-github-modern-go-reflect2=$REFLECT2_DEB") >>"$LOGS/apt-source.log" 2>&1 \
    || { tail -20 "$LOGS/apt-source.log" >&2; fail "apt-get source failed"; }
  checksum_ok "$K8S_TARBALL" "$K8S_SHA256" || fail "$K8S_TARBALL: checksum mismatch"
  checksum_ok "$REFLECT2_TARBALL" "$REFLECT2_SHA256" || fail "$REFLECT2_TARBALL: checksum mismatch"
}

# kubectl of the same version as the server, from Debian's binary package, unpacked privately.
unpack_kubectl() {
  [[ -x $BIN/kubectl ]] && return
  local tmp; tmp=$(mktemp -d)
  say "downloading Debian's kubernetes-client $K8S_DEB (kubectl)"
  (cd "$tmp" && apt-get download -qq "kubernetes-client=$K8S_DEB") >"$LOGS/kubectl-download.log" 2>&1 \
    || { apt-get update -qq && (cd "$tmp" && apt-get download -qq "kubernetes-client=$K8S_DEB"); } >>"$LOGS/kubectl-download.log" 2>&1 \
    || { tail -5 "$LOGS/kubectl-download.log" >&2; fail "apt-get download kubernetes-client failed"; }
  dpkg-deb -x "$tmp"/kubernetes-client_*.deb "$tmp/root"
  install -m 755 "$tmp/root/usr/bin/kubectl" "$BIN/kubectl"
  rm -rf "$tmp"
}

unpack_tree() {
  [[ -f $TREE/.unpacked ]] && return
  say "unpacking $K8S_TARBALL"
  rm -rf "$TREE"; mkdir -p "$TREE"
  tar -xzf "$CACHE/src/$K8S_TARBALL" -C "$TREE" --strip-components=1
  touch "$TREE/.unpacked"
}

# (a) replacement lines without a version go last in vendor/modules.txt.
fix_modules_txt() {
  local f=$TREE/vendor/modules.txt
  awk '$1 == "#" && $3 == "=>" { moved[n++] = $0; next } { print } END { for (i = 0; i < n; i++) print moved[i] }' \
    "$f" >"$f.new"
  if cmp -s "$f" "$f.new"; then rm "$f.new"; else mv "$f.new" "$f"; say "vendor/modules.txt: replacement lines moved last"; fi
}

# (c) reflect2 v1.0.1 -> v1.0.2.
fix_reflect2() {
  grep -q 'modern-go/reflect2 v1.0.1$' "$TREE/go.mod" || return 0
  say "vendoring github.com/modern-go/reflect2 v1.0.2"
  local dst=$TREE/vendor/github.com/modern-go/reflect2 tmp
  tmp=$(mktemp -d)
  tar -xzf "$CACHE/src/$REFLECT2_TARBALL" -C "$tmp" --strip-components=1
  rm -f "$dst"/*.go "$dst"/*.s
  find "$tmp" -maxdepth 1 \( -name '*.go' -o -name '*.s' \) ! -name '*_test.go' -exec cp {} "$dst"/ \;
  rm -rf "$tmp"
  sed -i 's|=> github.com/modern-go/reflect2 v1.0.1$|=> github.com/modern-go/reflect2 v1.0.2|' "$TREE/go.mod" "$TREE/vendor/modules.txt"
  ! grep -q 'modern-go/reflect2 v1.0.1$' "$TREE/go.mod" "$TREE/vendor/modules.txt" || fail "reflect2 version not updated"
}

# (b) the OpenAPI definitions kube-apiserver serves, generated as upstream's Makefile does.
generate_openapi() {
  local out=$TREE/pkg/generated/openapi/zz_generated.openapi.go
  [[ -s $out ]] && return
  say "generating pkg/generated/openapi with the vendored openapi-gen"
  (cd "$TREE" && GOFLAGS=-mod=vendor go build -o "$BIN/openapi-gen" ./vendor/k8s.io/kube-openapi/cmd/openapi-gen)
  # Packages tagged +k8s:openapi-gen (the selection of upstream's Makefile.generated_files),
  # staging/ seen through vendor/, minus the two packages upstream skips.
  local dirs
  dirs=$(cd "$TREE" && find . \( -path './_*' -o -path './.*' -o -path ./vendor \) -prune -o -type f -name '*.go' -print0 \
         | xargs -0 grep -l '^// *+k8s:' | xargs grep -l '+k8s:openapi-gen=' \
         | sed -e 's|^\./||' -e 's|^staging/src/|vendor/|' | xargs -n1 dirname | LC_ALL=C sort -u \
         | grep -vE '^vendor/k8s.io/(code-generator|sample-apiserver)/' | sed 's|^|k8s.io/kubernetes/|' | paste -sd, -) || true
  [[ -n $dirs ]] || fail "no +k8s:openapi-gen packages found"
  # openapi-gen (gengo) resolves packages in GOPATH mode.
  local gopath=$CACHE/gopath
  mkdir -p "$gopath/src/k8s.io"
  ln -snf "$TREE" "$gopath/src/k8s.io/kubernetes"
  (cd "$gopath/src/k8s.io/kubernetes" && GO111MODULE=off GOPATH=$gopath GOROOT="$(go env GOROOT)" GOFLAGS= \
     "$BIN/openapi-gen" --logtostderr -i "$dirs" -p k8s.io/kubernetes/pkg/generated/openapi \
       -O zz_generated.openapi -h vendor/k8s.io/code-generator/hack/boilerplate.go.txt \
       -r "$LOGS/openapi-violations.report") >"$LOGS/openapi-gen.log" 2>&1 \
    || { tail -20 "$LOGS/openapi-gen.log" >&2; fail "openapi-gen failed"; }
  [[ -s $out ]] || fail "openapi-gen wrote no $out"
  # The same package selection reports the same API-rule violations as upstream's own list.
  cmp -s "$LOGS/openapi-violations.report" "$TREE/api/api-rules/violation_exceptions.list" \
    || say "note: openapi-gen's rule report differs from upstream's violation_exceptions.list"
}

go_build() {
  [[ -x $BIN/kube-apiserver ]] && return
  # The version variables upstream's hack/lib/version.sh sets, in both places /version reads them.
  local ldflags="-s -w" pkg built
  built=$(date -u -r "$TREE/LICENSE" +%Y-%m-%dT%H:%M:%SZ)
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitMajor=1 -X $pkg.gitMinor=20 -X $pkg.gitVersion=$K8S_VERSION"
    ldflags+=" -X $pkg.gitCommit=$K8S_COMMIT -X $pkg.gitTreeState=clean -X $pkg.buildDate=$built"
  done
  say "go build ./cmd/kube-apiserver (~17 CPU-minutes from a cold cache: 10+ min on 2 cores)"
  local start=$SECONDS
  (cd "$TREE" && GOFLAGS=-mod=vendor go build -trimpath -ldflags "$ldflags" -o "$BIN/kube-apiserver.tmp" ./cmd/kube-apiserver) \
    >"$LOGS/go-build.log" 2>&1 || { tail -30 "$LOGS/go-build.log" >&2; fail "go build failed"; }
  mv "$BIN/kube-apiserver.tmp" "$BIN/kube-apiserver"
  say "built $("$BIN/kube-apiserver" --version) in $((SECONDS - start)) s"
}

cmd_built() { [[ -x $BIN/kube-apiserver && -x $BIN/kubectl ]] && command -v etcd >/dev/null; }

cmd_build() {
  mkdir -p "$BIN" "$LOGS"
  export GOTOOLCHAIN=local GOPROXY=off GOSUMDB=off GOFLAGS= CGO_ENABLED=0
  export GOCACHE=$CACHE/gocache GOMODCACHE=$CACHE/gomod
  local start=$SECONDS
  need_apt_packages
  download_sources
  unpack_kubectl
  unpack_tree
  fix_modules_txt
  fix_reflect2
  generate_openapi
  go_build
  say "build complete in $((SECONDS - start)) s: $BIN"
}

# ------------------------------------------------------------------------------- start/stop --
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

# Start "$@" in its own session and record its own PID (exec keeps the PID) in file $1.
spawn() {
  local pidfile=$1 log=$2; shift 2
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" >"$log" 2>&1 </dev/null &
  local i; for ((i = 0; i < 100; i++)); do [[ -s $pidfile ]] && return; sleep 0.05; done
  fail "could not start $1"
}

make_credentials() {
  local dir=$1
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=cci-openapi-test-client-ca \
    -keyout "$dir/client-ca.key" -out "$dir/client-ca.crt" 2>/dev/null
  # A certificate user in group system:masters, so certificate and admin token see the same.
  openssl req -newkey rsa:2048 -nodes -subj "/O=system:masters/CN=cert-admin" \
    -keyout "$dir/cert-admin.key" -out "$dir/cert-admin.csr" 2>/dev/null
  printf 'extendedKeyUsage=clientAuth\nkeyUsage=digitalSignature,keyEncipherment\n' >"$dir/client.ext"
  openssl x509 -req -in "$dir/cert-admin.csr" -CA "$dir/client-ca.crt" -CAkey "$dir/client-ca.key" \
    -CAcreateserial -days 30 -extfile "$dir/client.ext" -out "$dir/cert-admin.crt" 2>/dev/null
  openssl genrsa -out "$dir/service-account.key" 2048 2>/dev/null
  openssl rsa -in "$dir/service-account.key" -pubout -out "$dir/service-account.pub" 2>/dev/null
  ADMIN_TOKEN=$(openssl rand -hex 24)
  READER_TOKEN=$(openssl rand -hex 24)
  # token,user,uid,"groups": the reader has no RBAC rights beyond discovery.
  printf '%s,admin,uid-admin,"system:masters"\n%s,reader,uid-reader\n' "$ADMIN_TOKEN" "$READER_TOKEN" >"$dir/tokens.csv"
  chmod 600 "$dir"/*.key "$dir/tokens.csv"
}

cmd_start() {
  local dir=${1:?usage: start RUN_DIR}
  cmd_built || fail "not built: run 'bash contract/scripts/kube-apiserver.sh build'"
  mkdir -p "$dir" && dir=$(cd "$dir" && pwd)
  [[ ! -f $dir/pids ]] || fail "$dir already has a running server (stop it first)"
  make_credentials "$dir"
  local etcd_port peer_port port
  etcd_port=$(free_port); peer_port=$(free_port); port=$(free_port)
  local start=$SECONDS t0; t0=$(date +%s%N)
  spawn "$dir/etcd.pid" "$dir/etcd.log" etcd --name cci-contract --data-dir "$dir/etcd" \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-cluster "cci-contract=http://127.0.0.1:$peer_port" --listen-metrics-urls "" --log-level warn --logger zap
  echo "etcd=$(cat "$dir/etcd.pid")" >"$dir/pids"
  spawn "$dir/kube-apiserver.pid" "$dir/kube-apiserver.log" "$BIN/kube-apiserver" \
    --etcd-servers="http://127.0.0.1:$etcd_port" \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$port" \
    --cert-dir="$dir/serving" \
    --service-cluster-ip-range=$SERVICE_CIDR \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$dir/service-account.pub" \
    --service-account-signing-key-file="$dir/service-account.key" \
    --token-auth-file="$dir/tokens.csv" \
    --client-ca-file="$dir/client-ca.crt" \
    --authorization-mode=RBAC \
    --endpoint-reconciler-type=none \
    --profiling=false
  echo "kube-apiserver=$(cat "$dir/kube-apiserver.pid")" >>"$dir/pids"
  local url=https://127.0.0.1:$port i
  for ((i = 0; i < 1200; i++)); do
    [[ $(curl -sk -m 2 -H "Authorization: Bearer $ADMIN_TOKEN" "$url/readyz" 2>/dev/null) == ok ]] && break
    if ! kill -0 "$(cat "$dir/kube-apiserver.pid")" 2>/dev/null || ! kill -0 "$(cat "$dir/etcd.pid")" 2>/dev/null; then
      tail -20 "$dir/etcd.log" "$dir/kube-apiserver.log" >&2; cmd_stop "$dir"; fail "a process exited during start"
    fi
    sleep 0.1
  done
  ((i < 1200)) || { tail -20 "$dir/kube-apiserver.log" >&2; cmd_stop "$dir"; fail "not ready after 120 s"; }
  local ready_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  cat >"$dir/server.json" <<JSON
{
  "url": "$url",
  "version": "$K8S_VERSION",
  "adminToken": "$ADMIN_TOKEN",
  "readerToken": "$READER_TOKEN",
  "servingCa": "$dir/serving/apiserver.crt",
  "clientCert": "$dir/cert-admin.crt",
  "clientKey": "$dir/cert-admin.key",
  "kubectl": "$BIN/kubectl",
  "readyMs": $ready_ms
}
JSON
  say "ready at $url after $ready_ms ms (pids in $dir/pids)"
  # With an owner, the two processes do not outlive it (a test runner killed without teardown).
  if [[ -n ${KAS_OWNER_PID:-} ]]; then
    setsid bash -c 'while kill -0 "$1" 2>/dev/null && [[ -f $3/pids ]]; do sleep 2; done; exec bash "$2" stop "$3"' \
      owner-watch "$KAS_OWNER_PID" "$0" "$dir" >/dev/null 2>&1 </dev/null &
  fi
}

# Stop only the PIDs this script recorded, and only while they still run the program started.
cmd_stop() {
  local dir=${1:?usage: stop RUN_DIR} name pid i
  [[ -f $dir/pids ]] || return 0
  for name in kube-apiserver etcd; do
    pid=$(sed -n "s/^$name=//p" "$dir/pids")
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || continue
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$name" || { say "pid $pid is no longer $name; left alone"; continue; }
    kill -TERM "$pid"
    for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  done
  rm -f "$dir/pids"
}

case ${1:-} in
  build) cmd_build ;;
  built) cmd_built ;;
  start) cmd_start "${2:-}" ;;
  stop) cmd_stop "${2:-}" ;;
  *) echo "usage: $0 {build|built|start RUN_DIR|stop RUN_DIR}" >&2; exit 2 ;;
esac
