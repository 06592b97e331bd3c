#!/usr/bin/env bash
# Regenerates the ACD's announcements (queue position, estimated wait, comfort, callback offer …) with espeak-ng
# and sox, in the same telephone format as scripts/make-prompts.sh:
#   prompts/acd/<lang>/<name>.wav       phrases
#   prompts/acd/<lang>/num/*.wav        numbers: n0–n20 and the tens (n30 … n90); Mandarin also d1–d9, the
#                                       units inside a compound (二十二 = n20 + d2; a lone 2 is n2 = 两)
#   prompts/acd/transcripts.json        { "acd/zh/comfort.wav": "…", … }
# src/domain/acd/announcements.ts assembles them. Idempotent: the same inputs give byte-identical files.
set -euo pipefail

cd "$(dirname "$0")/.."
source scripts/lib/prompt-audio.sh
require_tools make-acd-prompts
OUT=prompts/acd
SPEED_WPM=150

# name | Mandarin | English
PHRASES=(
  "you-are-next|您是下一位，请稍候。|You are next in line."
  "ahead-one|您前面还有一位。|There is one caller ahead of you."
  "ahead-before|您前面还有|There are"
  "ahead-after|位。|callers ahead of you."
  "ahead-many|您前面还有很多位，请耐心等候。|There are many callers ahead of you. Thank you for your patience."
  "ewt-before|预计等待时间约|Your expected wait time is about"
  "ewt-after|分钟。|minutes."
  "ewt-under-minute|预计等待时间不到一分钟。|Your expected wait time is less than a minute."
  "ewt-long|预计等待时间较长，超过一个半小时。|Your expected wait time is more than an hour and a half."
  "comfort|您的来电对我们非常重要，请不要挂机，我们将尽快为您服务。|Your call is important to us. Please stay on the line and an agent will be with you shortly."
  "callback-offer|如需保留排队位置，由我们回拨您的来电号码，请按1。|To keep your place in line and have us call you back on the number you are calling from, press 1."
  "callback-confirm|好的，我们已为您保留位置，稍后将回拨您的来电号码。再见。|Thank you. We have kept your place and will call you back on the number you are calling from. Goodbye."
  "callback-connecting|您好，这是您预约的回电，正在为您接通客服代表，请稍候。|Hello, this is the call back you asked for. Please hold while we connect you to an agent."
  "queue-full|很抱歉，目前线路繁忙，请稍后再拨。|Sorry, all our lines are busy. Please call again later."
  "no-agents|很抱歉，目前没有客服代表可以接听，请稍后再拨。|Sorry, no agent can take your call right now. Please call again later."
  "transferring|正在为您转接其他服务组，请稍候。|Please hold while we transfer you to another team."
  "survey-ask|请对本次服务进行评价：非常满意请按5，满意请按4，一般请按3，不满意请按2，非常不满意请按1。|Please rate the service you received: press 5 for very satisfied, 4 for satisfied, 3 for neutral, 2 for unsatisfied, or 1 for very unsatisfied."
  "survey-thanks|感谢您的评价，再见。|Thank you for your rating. Goodbye."
)

ZH_NUM=(零 一 两 三 四 五 六 七 八 九 十 十一 十二 十三 十四 十五 十六 十七 十八 十九 二十)
ZH_TENS=([30]=三十 [40]=四十 [50]=五十 [60]=六十 [70]=七十 [80]=八十 [90]=九十)
ZH_UNITS=([1]=一 [2]=二 [3]=三 [4]=四 [5]=五 [6]=六 [7]=七 [8]=八 [9]=九)
EN_NUM=(zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty)
EN_TENS=([30]=thirty [40]=forty [50]=fifty [60]=sixty [70]=seventy [80]=eighty [90]=ninety)

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# Telephone band, -3 dBFS peak, 8 kHz mono 16-bit. Phrases get a little silence either side; number fragments
# almost none, so that "您前面还有 | 五 | 位" runs together.
to_telephone_wav() { # in out pad-before pad-after
  sox -D "$1" -r 8000 -c 1 -b 16 -e signed-integer "$2" \
    gain -6 highpass 200 lowpass 3400 silence 1 0.02 0.5% reverse silence 1 0.02 0.5% reverse gain -n -3 pad "$3" "$4"
}

speak() { # voice text out.wav pad-before pad-after
  espeak-ng -v "$1" -s "$SPEED_WPM" -w "$WORK/speech.wav" -- "$2"
  to_telephone_wav "$WORK/speech.wav" "$3" "$4" "$5"
}

mkdir -p "$OUT/zh/num" "$OUT/en/num"
entries=()
add() { entries+=("  $(json_string "acd/$1"): $(json_string "$2")"); }

for row in "${PHRASES[@]}"; do
  IFS='|' read -r name zh en <<<"$row"
  speak "$ZH_VOICE" "$zh" "$OUT/zh/$name.wav" 0.1 0.15
  speak "$EN_VOICE" "$en" "$OUT/en/$name.wav" 0.1 0.15
  add "zh/$name.wav" "$zh"
  add "en/$name.wav" "$en"
done

for n in "${!ZH_NUM[@]}"; do
  speak "$ZH_VOICE" "${ZH_NUM[n]}" "$OUT/zh/num/n$n.wav" 0.03 0.03
  speak "$EN_VOICE" "${EN_NUM[n]}" "$OUT/en/num/n$n.wav" 0.03 0.03
  add "zh/num/n$n.wav" "${ZH_NUM[n]}"
  add "en/num/n$n.wav" "${EN_NUM[n]}"
done
for n in "${!ZH_TENS[@]}"; do
  speak "$ZH_VOICE" "${ZH_TENS[n]}" "$OUT/zh/num/n$n.wav" 0.03 0.03
  speak "$EN_VOICE" "${EN_TENS[n]}" "$OUT/en/num/n$n.wav" 0.03 0.03
  add "zh/num/n$n.wav" "${ZH_TENS[n]}"
  add "en/num/n$n.wav" "${EN_TENS[n]}"
done
for n in "${!ZH_UNITS[@]}"; do
  speak "$ZH_VOICE" "${ZH_UNITS[n]}" "$OUT/zh/num/d$n.wav" 0.03 0.03
  add "zh/num/d$n.wav" "${ZH_UNITS[n]}"
done

write_transcripts "$OUT/transcripts.json" "${entries[@]}"

echo "make-acd-prompts: wrote ${#PHRASES[@]} phrases and the number fragments x 2 languages, and transcripts.json under $OUT/"
