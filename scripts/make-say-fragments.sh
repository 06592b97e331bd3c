#!/usr/bin/env bash
# Records the fragments spoken values are built from (say nodes, { say: ... } prompts) with espeak-ng and sox:
#   prompts/say/zh/<name>.wav, prompts/say/en/<name>.wav   8 kHz mono 16-bit PCM, silence trimmed
#   prompts/say/beep.wav                                   the tone before a voicemail recording
# The fragment list (names and texts) comes from the code that assembles them: src/tools/say-inventory.ts.
# Idempotent: the same inputs give byte-identical files (sox dithering, its only random step, is off).
set -euo pipefail

cd "$(dirname "$0")/.."
source scripts/lib/prompt-audio.sh
require_tools make-say-fragments
OUT=prompts/say
SPEED_WPM=165

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

npx --no-install tsx src/tools/say-inventory.ts >"$WORK/inventory.tsv"

# Telephone band, silence trimmed at both ends (fragments are joined back to back), peak-normalized to
# -3 dBFS like the other prompts, 8 kHz mono 16-bit, a few milliseconds of air either side.
to_fragment_wav() {
  sox -D "$1" -r 8000 -c 1 -b 16 -e signed-integer "$2" \
    gain -6 highpass 200 lowpass 3400 \
    silence 1 0.01 -40d reverse silence 1 0.01 -40d reverse \
    gain -n -3 pad 0.02 0.06
}

mkdir -p "$OUT/zh" "$OUT/en"
count=0
while IFS=$'\t' read -r lang name text; do
  voice=$EN_VOICE
  [[ $lang == zh ]] && voice=$ZH_VOICE
  espeak-ng -v "$voice" -s "$SPEED_WPM" -w "$WORK/speech.wav" -- "$text"
  to_fragment_wav "$WORK/speech.wav" "$OUT/$lang/$name.wav"
  count=$((count + 1))
done <"$WORK/inventory.tsv"

# The voicemail tone: 1 kHz for 0.4 s with soft edges (no click), then a short silence before recording.
sox -D -n -r 8000 -c 1 -b 16 -e signed-integer "$OUT/beep.wav" synth 0.4 sine 1000 gain -8 fade 0.01 0.4 0.01 pad 0 0.1

echo "make-say-fragments: wrote $count fragments and beep.wav under $OUT/"
