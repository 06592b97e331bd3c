# Shared by scripts/make-prompts.sh, make-acd-prompts.sh and make-say-fragments.sh (sourced, not run).
#
# Voices: Mandarin uses espeak-ng's `cmn-latn-pinyin` variant of the `cmn` voice. Plain `cmn` turns many
# characters into tone-numbered pinyin and then reads that pinyin as English ("您好" comes out as
# "nin two hao three"); the pinyin variant reads it as Mandarin. English uses `en`.
ZH_VOICE=cmn-latn-pinyin
EN_VOICE=en

# require_tools <script name>: espeak-ng and sox must be installed.
require_tools() {
  local tool
  for tool in espeak-ng sox; do
    command -v "$tool" >/dev/null || { echo "$1: $tool is required (apt-get install $tool)" >&2; exit 1; }
  done
}

# json_string <text>: a JSON string literal (escapes \ and "; the texts have no control characters).
json_string() {
  local s=${1//\\/\\\\}
  printf '"%s"' "${s//\"/\\\"}"
}

# write_transcripts <file> <entry>...: a JSON object of the `"key": "text"` entries, one per line.
write_transcripts() {
  local file=$1
  shift
  {
    echo "{"
    local k n=$#
    for ((k = 1; k <= n; k++)); do
      if ((k < n)); then echo "${!k},"; else echo "${!k}"; fi
    done
    echo "}"
  } >"$file"
}
