#!/usr/bin/env bash
# Regenerates the shipped prompts of the sample hotline (bilingual, Mandarin first) with espeak-ng and sox:
#   prompts/zh/<name>.wav, prompts/en/<name>.wav   8 kHz mono 16-bit PCM (what the media engine plays)
#   prompts/moh/default.wav                        a short looping melody for music on hold
#   prompts/transcripts.json                       { "zh/welcome.wav": "…", … }
# Idempotent: the same inputs give byte-identical files (sox dithering, its only random step, is off).
#
# Voices: Mandarin uses espeak-ng's `cmn-latn-pinyin` variant of the `cmn` voice. Plain `cmn` turns many
# characters into tone-numbered pinyin and then reads that pinyin as English ("您好" comes out as
# "nin two hao three"); the pinyin variant reads it as Mandarin. English uses `en`.
set -euo pipefail

cd "$(dirname "$0")/.."
OUT=prompts
ZH_VOICE=cmn-latn-pinyin
EN_VOICE=en
SPEED_WPM=150

for tool in espeak-ng sox; do
  command -v "$tool" >/dev/null || { echo "make-prompts: $tool is required (apt-get install $tool)" >&2; exit 1; }
done

# name | Mandarin | English. The transcript keeps the text as written; say_zh only adjusts pronunciation.
PROMPTS=(
  "welcome|您好，欢迎致电示例公司400服务热线。|Welcome to the Example Company hotline."
  "main-menu|销售咨询请按1，售后服务请按2。|For sales, press 1. For support, press 2."
  "invalid|您的输入有误，请重新输入。|Sorry, that is not a valid choice."
  "no-input|我们没有收到您的按键。|We did not receive your choice."
  "goodbye|感谢您的来电，再见。|Thank you for calling. Goodbye."
  "please-hold|正在为您转接，请稍候。|Please hold while we connect you to an agent."
)

# A "400" hotline number is read digit by digit (四零零), not as a quantity (四百).
say_zh() { sed 's/400/四零零/g' <<<"$1"; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# Telephone band (300–3400 Hz), peak-normalized to -3 dBFS, 8 kHz mono 16-bit, a little silence either side.
to_telephone_wav() {
  sox -D "$1" -r 8000 -c 1 -b 16 -e signed-integer "$2" \
    gain -6 highpass 200 lowpass 3400 gain -n -3 pad 0.1 0.3
}

speak() { # voice text out.wav
  espeak-ng -v "$1" -s "$SPEED_WPM" -w "$WORK/speech.wav" -- "$2"
  to_telephone_wav "$WORK/speech.wav" "$3"
}

json_string() { # escapes \ and " (the texts have no control characters)
  local s=${1//\\/\\\\}
  printf '"%s"' "${s//\"/\\\"}"
}

mkdir -p "$OUT/zh" "$OUT/en" "$OUT/moh"
entries=()
for row in "${PROMPTS[@]}"; do
  IFS='|' read -r name zh en <<<"$row"
  speak "$ZH_VOICE" "$(say_zh "$zh")" "$OUT/zh/$name.wav"
  speak "$EN_VOICE" "$en" "$OUT/en/$name.wav"
  entries+=("  $(json_string "zh/$name.wav"): $(json_string "$zh")" "  $(json_string "en/$name.wav"): $(json_string "$en")")
done

# Music on hold: a gentle arpeggio over C – Am – F – G (twice, 24 s) with a soft sustained chord underneath.
# Each note is a plucked string; the loop starts and ends on C so the repeat is seamless.
note() { # out.wav seconds frequency-spec
  sox -D -n -r 8000 -c 1 -b 16 -e signed-integer "$1" synth "$2" pluck "$3" fade 0 "$2" 0.25
}
pad_chord() { # out.wav seconds note1 note2 note3 (one sine per channel, then mixed down to mono)
  sox -D -n -r 8000 -c 3 -b 16 -e signed-integer "$WORK/triad.wav" synth "$2" sine "$3" sine "$4" sine "$5"
  sox -D "$WORK/triad.wav" -c 1 "$1" remix - fade 0.4 "$2" 0.4
}
CHORDS=(
  "C4 E4 G4|C4 E4 G4 C5 G4 E4"
  "A3 C4 E4|A3 C4 E4 A4 E4 C4"
  "F3 A3 C4|F3 A3 C4 F4 C4 A3"
  "G3 B3 D4|G3 B3 D4 G4 D4 B3"
)
melody=()
pads=()
i=0
for pass in 1 2; do
  for chord in "${CHORDS[@]}"; do
    IFS='|' read -r triad arpeggio <<<"$chord"
    read -r n1 n2 n3 <<<"$triad"
    pad_chord "$WORK/pad$i.wav" 3 "$n1" "$n2" "$n3"
    pads+=("$WORK/pad$i.wav")
    j=0
    for n in $arpeggio; do
      note "$WORK/n$i-$j.wav" 0.5 "$n"
      melody+=("$WORK/n$i-$j.wav")
      j=$((j + 1))
    done
    i=$((i + 1))
  done
  : "$pass"
done
sox -D "${melody[@]}" "$WORK/melody.wav"
sox -D "${pads[@]}" "$WORK/pads.wav" gain -14
sox -D -m "$WORK/melody.wav" "$WORK/pads.wav" -r 8000 -c 1 -b 16 -e signed-integer "$OUT/moh/default.wav" \
  lowpass 3400 gain -n -6 fade 0.05 -0 0.3

{
  echo "{"
  for ((k = 0; k < ${#entries[@]}; k++)); do
    if ((k + 1 < ${#entries[@]})); then echo "${entries[k]},"; else echo "${entries[k]}"; fi
  done
  echo "}"
} >"$OUT/transcripts.json"

echo "make-prompts: wrote ${#PROMPTS[@]} prompts x 2 languages, moh/default.wav and transcripts.json under $OUT/"
