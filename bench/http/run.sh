#!/bin/bash
# bench/http/run.sh: how fast does `pecast serve` push an image to many clients over loopback,
# compared with nginx (sendfile on) serving the same file in the same run, and how much memory
# does it take? Also: 8 clients over TFTP (tftpd-hpa, blksize 1468) against the same 8 over
# our HTTP.
#
#   bench/http/run.sh [PECAST_BINARY]    (default: build/bin/pecast)
#
# Env: CLIENTS (32), SIZE_MIB (256), ROUNDS (4), TFTP_CLIENTS (8), TFTP_SIZE_MIB (64),
#      BIG_SIZE_MIB (1024, for the RSS-versus-size check). Needs nginx-light, tftpd-hpa, curl.
# Not a test: it prints numbers; docs/benchmarks.md ("HTTP serving") records them.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
pecast=${1:-$here/../../build/bin/pecast}
clients=${CLIENTS:-32}
size_mib=${SIZE_MIB:-256}
rounds=${ROUNDS:-4}
tftp_clients=${TFTP_CLIENTS:-8}
tftp_size_mib=${TFTP_SIZE_MIB:-64}
big_size_mib=${BIG_SIZE_MIB:-1024}

for tool in nginx curl "$pecast"; do
    command -v "$tool" >/dev/null || [ -x "$tool" ] || { echo "missing: $tool" >&2; exit 1; }
done

work=$(mktemp -d /tmp/pecast-bench-http.XXXXXX)
chmod 755 "$work" # nginx workers run as nobody
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0; sleep 0.1; done; return 1; }
hwm_kib() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; }

# Incompressible content, read once so every run is served from the page cache.
head -c $((size_mib * 1024 * 1024)) /dev/urandom >"$work/image.img"
head -c $((tftp_size_mib * 1024 * 1024)) /dev/urandom >"$work/small.img"
truncate -s $((big_size_mib * 1024 * 1024)) "$work/big.img"
cat "$work/image.img" "$work/small.img" "$work/big.img" >/dev/null
echo memdisk >"$work/memdisk"

# nginx as a distribution ships it for static files: sendfile on, default worker count (auto).
nginx_port=$(free_port)
mkdir -p "$work/nginx"
cat >"$work/nginx/nginx.conf" <<CONF
daemon off;
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
    sendfile on;
    tcp_nopush on;
    access_log off;
    client_body_temp_path $work/nginx;
    proxy_temp_path $work/nginx;
    fastcgi_temp_path $work/nginx;
    uwsgi_temp_path $work/nginx;
    scgi_temp_path $work/nginx;
    server { listen 127.0.0.1:$nginx_port; root $work; }
}
CONF
nginx -c "$work/nginx/nginx.conf" &
pids+=($!)

pecast_port=$(free_port)
"$pecast" serve --image "$work/image.img" --memdisk "$work/memdisk" --bind 127.0.0.1 \
    --http-port "$pecast_port" --publish small.img="$work/small.img" \
    --publish big.img="$work/big.img" --no-access-log >"$work/pecast.log" 2>&1 &
pecast_pid=$!
pids+=($pecast_pid)
wait_port "$nginx_port" && wait_port "$pecast_port" || { echo "servers did not start" >&2; cat "$work/pecast.log" "$work/nginx/error.log" >&2; exit 1; }

# Prints the wall time in seconds for N parallel curl downloads of URL; checks every size.
download() { # URL N EXPECTED_BYTES [curl options]
    local url=$1 n=$2 expected=$3
    shift 3
    local start end
    start=$(date +%s.%N)
    for i in $(seq "$n"); do
        curl -s -o /dev/null -w '%{size_download}\n' "$@" "$url" >"$work/size.$i" &
    done
    wait # a command substitution's subshell: only its curl children
    end=$(date +%s.%N)
    for i in $(seq "$n"); do
        [ "$(cat "$work/size.$i")" = "$expected" ] || { echo "client $i got $(cat "$work/size.$i") of $expected bytes" >&2; exit 1; }
    done
    echo "$end - $start" | bc -l
}

bytes=$((size_mib * 1024 * 1024))
total_mib=$((clients * size_mib))
echo "== $clients clients x $size_mib MiB over loopback, $rounds rounds (MiB/s aggregate) =="
ratios=()
for r in $(seq "$rounds"); do
    # Alternate who goes first: on a busy machine the load changes between the two runs.
    if [ $((r % 2)) = 1 ]; then
        tn=$(download "http://127.0.0.1:$nginx_port/image.img" "$clients" "$bytes")
        tp=$(download "http://127.0.0.1:$pecast_port/image.img" "$clients" "$bytes")
    else
        tp=$(download "http://127.0.0.1:$pecast_port/image.img" "$clients" "$bytes")
        tn=$(download "http://127.0.0.1:$nginx_port/image.img" "$clients" "$bytes")
    fi
    rn=$(echo "$total_mib / $tn" | bc -l)
    rp=$(echo "$total_mib / $tp" | bc -l)
    ratio=$(echo "$rp / $rn" | bc -l)
    ratios+=("$ratio")
    printf 'round %d: nginx %7.0f MiB/s (%.2f s)  pecast %7.0f MiB/s (%.2f s)  ratio %.2f\n' \
        "$r" "$rn" "$tn" "$rp" "$tp" "$ratio"
done
median=$(printf '%s\n' "${ratios[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
printf 'median ratio pecast/nginx: %.2f (load average: %s)\n' "$median" "$(cut -d' ' -f1-3 /proc/loadavg)"
hwm_after_256=$(hwm_kib "$pecast_pid")

echo "== peak RSS versus image size =="
big_bytes=$((big_size_mib * 1024 * 1024))
big_time=$(download "http://127.0.0.1:$pecast_port/big.img" 4 "$big_bytes")
hwm_after_big=$(hwm_kib "$pecast_pid")
nginx_hwm=0
for p in $(pgrep -P "${pids[0]}") "${pids[0]}"; do
    h=$(hwm_kib "$p")
    nginx_hwm=$((nginx_hwm + h))
done
printf 'pecast peak RSS: %d KiB after %d x %d MiB, %d KiB after 4 more x %d MiB\n' \
    "$hwm_after_256" "$clients" "$size_mib" "$hwm_after_big" "$big_size_mib"
printf 'nginx master+workers peak RSS (sum): %d KiB\n' "$nginx_hwm"

if command -v in.tftpd >/dev/null; then
    echo "== $tftp_clients clients x $tftp_size_mib MiB: TFTP (tftpd-hpa, blksize 1468) vs pecast HTTP =="
    tftp_port=$(free_port)
    in.tftpd -L -s -a "127.0.0.1:$tftp_port" "$work" &
    pids+=($!)
    sleep 0.5
    small_bytes=$((tftp_size_mib * 1024 * 1024))
    tt=$(download "tftp://127.0.0.1:$tftp_port/small.img" "$tftp_clients" "$small_bytes" --tftp-blksize 1468)
    th=$(download "http://127.0.0.1:$pecast_port/small.img" "$tftp_clients" "$small_bytes")
    printf 'tftp %.2f s (%.0f MiB/s aggregate), pecast http %.2f s (%.0f MiB/s), http %.0fx faster\n' \
        "$tt" "$(echo "$tftp_clients * $tftp_size_mib / $tt" | bc -l)" \
        "$th" "$(echo "$tftp_clients * $tftp_size_mib / $th" | bc -l)" "$(echo "$tt / $th" | bc -l)"
fi
