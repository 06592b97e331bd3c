#!/usr/bin/env bash
# Regenerates the shipped prompts of the sample hotline (bilingual, Mandarin first) with espeak-ng and sox:
#   prompts/zh/<name>.wav, prompts/en/<name>.wav   8 kHz mono 16-bit PCM (what the media engine plays)
#   prompts/moh/default.wav                        a short looping melody for music on hold
#   prompts/transcripts.json                       { "zh/welcome.wav": "…", … }
# Idempotent: the same inputs give byte-identical files (sox dithering, its only random step, is off).
set -euo pipefail

cd "$(dirname "$0")/.."
source scripts/lib/prompt-audio.sh
require_tools make-prompts
OUT=prompts
SPEED_WPM=150

# name | Mandarin | English. The transcript keeps the text as written; say_zh only adjusts pronunciation.
PROMPTS=(
  "welcome|您好，欢迎致电示例公司400服务热线。|Welcome to the Example Company hotline."
  "main-menu|销售咨询请按1，售后服务请按2。|For sales, press 1. For support, press 2."
  "invalid|您的输入有误，请重新输入。|Sorry, that is not a valid choice."
  "no-input|我们没有收到您的按键。|We did not receive your choice."
  "goodbye|感谢您的来电，再见。|Thank you for calling. Goodbye."
  "please-hold|正在为您转接，请稍候。|Please hold while we connect you to an agent."
  # the full bilingual sample (ivr-flows/hotline-400.yaml)
  "welcome-vip|尊敬的会员您好，欢迎致电示例公司服务热线，我们将优先为您服务。|Welcome back, valued member. We will serve you first."
  "main-menu-full|产品咨询请按1，售后服务请按2，投诉建议请按3，查询订单请按4，人工服务请按0，切换语言请按9。|For sales, press 1. For after-sales support, press 2. For complaints, press 3. To check an order, press 4. For an operator, press 0. To change the language, press 9."
  "main-menu-full-short|请选择：产品咨询1，售后2，投诉3，订单4，人工0。|Please choose: sales 1, support 2, complaints 3, orders 4, operator 0."
  "support-menu|产品维修请按1，退换货请按2，返回上一级请按星号键。|For repairs, press 1. For returns and exchanges, press 2. To go back, press star."
  "enter-order|请输入您的订单号，以井号键结束。|Please enter your order number, then press the hash key."
  "order-invalid|订单号应为6到12位数字，请重新输入。|An order number has 6 to 12 digits. Please try again."
  "you-entered|您输入的是|You entered"
  "confirm-or-reenter|确认请按1，重新输入请按2。|To confirm, press 1. To enter it again, press 2."
  "order-shipped|您的订单已发货，预计送达日期为|Your order has shipped. It should arrive on"
  "order-amount|订单金额为|The order total is"
  "order-processing|您的订单正在处理中。|Your order is being processed."
  "order-delivered|您的订单已签收。|Your order has been delivered."
  "order-not-found|抱歉，没有找到这个订单。|Sorry, we could not find that order."
  "system-busy|抱歉，订单系统暂时无法查询，正在为您转接人工服务。|Sorry, the order system is not available right now. Let me connect you to an operator."
  "order-after|查询其他订单请按1，人工服务请按0，返回主菜单请按星号键。|To check another order, press 1. For an operator, press 0. For the main menu, press star."
  "after-hours|您好，现在是非工作时间。我们的服务时间是周一至周五早上九点到晚上九点，周末早上十点到下午六点。|Our office is closed. We are open Monday to Friday from 9 AM to 9 PM, and weekends from 10 AM to 6 PM."
  "holiday|您好，节假日期间暂停人工服务。|Our office is closed for the public holiday."
  "after-hours-menu|预约回电请按1，留言请按2。|To ask for a call back, press 1. To leave a message, press 2."
  "callback-this-number|我们将回拨您的号码|We will call you back on"
  "callback-confirm|确认请按1，使用其他号码请按2。|To confirm, press 1. To use another number, press 2."
  "enter-callback-number|请输入11位手机号码。|Please enter an 11-digit mobile number."
  "number-invalid|号码有误，请重新输入。|That number is not valid. Please try again."
  "callback-booked|已为您预约回电，我们会在工作时间尽快联系您。|Your call back is booked. We will call you during office hours."
  "leave-message|请在提示音后留言，按井号键结束。|Please leave a message after the tone, then press the hash key."
  "message-saved|您的留言已保存，谢谢。|Your message has been saved. Thank you."
)

# Bilingual prompts: the Mandarin part in the Mandarin voice, then the English part in the English voice, one file
# written under both languages (played before the caller has chosen one).
BILINGUAL=(
  "choose-language|普通话请按1。|For English, press 2."
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

mkdir -p "$OUT/zh" "$OUT/en" "$OUT/moh"
entries=()
for row in "${PROMPTS[@]}"; do
  IFS='|' read -r name zh en <<<"$row"
  speak "$ZH_VOICE" "$(say_zh "$zh")" "$OUT/zh/$name.wav"
  speak "$EN_VOICE" "$en" "$OUT/en/$name.wav"
  entries+=("  $(json_string "zh/$name.wav"): $(json_string "$zh")" "  $(json_string "en/$name.wav"): $(json_string "$en")")
done
for row in "${BILINGUAL[@]}"; do
  IFS='|' read -r name zh en <<<"$row"
  speak "$ZH_VOICE" "$(say_zh "$zh")" "$WORK/bi-zh.wav"
  speak "$EN_VOICE" "$en" "$WORK/bi-en.wav"
  sox -D "$WORK/bi-zh.wav" "$WORK/bi-en.wav" "$OUT/zh/$name.wav"
  cp "$OUT/zh/$name.wav" "$OUT/en/$name.wav"
  entries+=("  $(json_string "zh/$name.wav"): $(json_string "$zh$en")" "  $(json_string "en/$name.wav"): $(json_string "$zh$en")")
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

write_transcripts "$OUT/transcripts.json" "${entries[@]}"

echo "make-prompts: wrote ${#PROMPTS[@]} prompts x 2 languages, moh/default.wav and transcripts.json under $OUT/"
