// The pod's command: run bench, then keep the results until someone copies them.
//
// A Job's pod is gone with its emptyDir once it ends, and `kubectl cp` needs a running container, so the
// container sleeps KEEP_RESULTS_SECONDS after bench before exiting: no sidecar, no storage class, no
// bucket credentials. The bench arguments come as "$@" (the container's args, where Kubernetes expands
// $(JOB_COMPLETION_INDEX)).
//
// Exit status: bench's 1 (an SLO failed on this segment) still means the segment's data is good, and the
// SLOs that count are judged by `bench merge`, so the pod succeeds; 2, 3 and 130 (the run could not be
// carried out) fail the index. The exit code is also written next to the results.
export const RUNNER_SCRIPT = `set -u
out="$RESULTS_DIR/segment-$JOB_COMPLETION_INDEX"
# Forward termination to whatever runs now, so bench still writes its reports (exit 130).
trap 'kill -TERM "$child" 2>/dev/null' TERM INT
node /app/bin/bench.js "$@" &
child=$!
wait "$child"
code=$?
if kill -0 "$child" 2>/dev/null; then wait "$child"; code=$?; fi
mkdir -p "$out" && echo "$code" > "$out/exit-code"
echo "bench exited $code; results stay in $out for $KEEP_RESULTS_SECONDS s (kubectl cp)"
sleep "$KEEP_RESULTS_SECONDS" &
child=$!
wait "$child"
case "$code" in 0|1) exit 0 ;; *) exit "$code" ;; esac
`;
