# Sourced by ./mvnw and bin scripts: sets JAVA_HOME to a JDK 25 (or newer) found on this machine.
# Order: WEFT_JAVA_HOME, JAVA_HOME, the system's JVM folder, then `java` on PATH.
weft_java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n1; }
weft_find_jdk() {
  local c v
  for c in "${WEFT_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25* /usr/lib/jvm/*-25* /usr/lib/jvm/*25* /usr/lib/jvm/* /opt/java/* \
           "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    [ -n "$c" ] && [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    v=$(weft_java_major "$c")
    case "$v" in ''|1.*) continue ;; esac
    if [ "$v" -ge 25 ] 2>/dev/null; then echo "$c"; return 0; fi
  done
  return 1
}
if WEFT_JDK=$(weft_find_jdk); then
  export JAVA_HOME="$WEFT_JDK"
else
  echo "Weft needs a JDK 25 (or newer) and found none (looked at \$WEFT_JAVA_HOME, \$JAVA_HOME, /usr/lib/jvm, /opt/java, and java on PATH)." >&2
  echo "Install one, e.g. on Debian/Ubuntu with the Adoptium repository: apt-get install temurin-25-jdk" >&2
  echo "or download Temurin 25 from adoptium.net, then set WEFT_JAVA_HOME=/path/to/jdk-25." >&2
  exit 1
fi
