#!/usr/bin/env bash
# Fetch a real OpenSearch node for the tests (see pom.xml beside this script) into .cache/opensearch/.
# Prints the node's home directory. Idempotent: a complete node already there is reused.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
version="$(sed -n 's:.*<opensearch.version>\(.*\)</opensearch.version>.*:\1:p' "$here/pom.xml")"
home="$root/.cache/opensearch/opensearch-$version"
module="$home/modules/analysis-common"
if [ ! -f "$module/plugin-descriptor.properties" ] || [ ! -x "$home/bin/opensearch" ] || [ ! -d "$home/config" ]; then
    command -v mvn >/dev/null || { echo "fetch.sh: Maven (mvn) is not installed" >&2; exit 3; }
    command -v java >/dev/null || { echo "fetch.sh: Java is not installed" >&2; exit 3; }
    rm -rf "$here/target"  # the dependency plugin skips an unpack its marker files remember
    mvn -B -q -Dstyle.color=never -f "$here/pom.xml" dependency:unpack@node dependency:copy@analysis-common >&2
    # The module jar from Maven has no descriptor; the distribution's modules carry one.
    cat > "$module/plugin-descriptor.properties" <<PROPS
description=Adds analyzers, token filters and stemmers (installed by migsearch's tests/opensearch/fetch.sh)
version=$version
name=analysis-common
classname=org.opensearch.analysis.common.CommonAnalysisPlugin
java.version=11
opensearch.version=$version
custom.foldername=
extended.plugins=
has.native.controller=false
PROPS
fi
echo "$home"
