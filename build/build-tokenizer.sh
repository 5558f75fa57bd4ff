#!/usr/bin/env bash
# Trains the joint English-German SentencePiece model the translation Boss reads its subwords
# from (one vocabulary for source and target, so the embeddings can be shared).
#
#   build/build-tokenizer.sh [--vocab 8000] [--type bpe|unigram] [--input TSV] [--out PREFIX]
#
# Defaults: --input data/corpus/en-de/train.tsv (built by build/build-corpus.sh), --out
# data/tokenizer/en-de-<type>-<vocab> (writes PREFIX.model and PREFIX.vocab). Idempotent: an
# existing PREFIX.model is kept. Installs Debian's `sentencepiece` (spm_train) when missing.
#
# Fixed choices, which the trainer relies on:
#   ids 0 pad, 1 unk, 2 bos (<s>), 3 eos (</s>)
#   identity normalisation: Microsoft.ML.Tokenizers applies no precompiled NFKC map, so text is
#     tokenised exactly as written and decodes back to itself
#   byte fallback (BPE only): a character outside the vocabulary becomes its UTF-8 bytes, not unk
set -euo pipefail
cd "$(dirname "$0")/.."

VOCAB=8000
TYPE=bpe
INPUT=data/corpus/en-de/train.tsv
OUT=
while [ $# -gt 0 ]; do
  case "$1" in
    --vocab) VOCAB=$2; shift 2 ;;
    --type) TYPE=$2; shift 2 ;;
    --input) INPUT=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "build-tokenizer: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
done
case "$TYPE" in bpe|unigram) ;; *) echo "build-tokenizer: --type must be bpe or unigram" >&2; exit 2 ;; esac
OUT=${OUT:-data/tokenizer/en-de-$TYPE-$VOCAB}

if [ -f "$OUT.model" ]; then
  echo "build-tokenizer: $OUT.model exists"
  exit 0
fi
if [ ! -f "$INPUT" ]; then
  echo "build-tokenizer: $INPUT is missing; run build/build-corpus.sh first or pass --input" >&2
  exit 1
fi

if ! command -v spm_train >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "build-tokenizer: installing Debian package sentencepiece"
    if ! $SUDO apt-get install -y -qq sentencepiece >/dev/null 2>&1; then
      $SUDO apt-get update -qq
      $SUDO apt-get install -y -qq sentencepiece
    fi
  fi
  if ! command -v spm_train >/dev/null 2>&1; then
    echo "build-tokenizer: spm_train is missing and could not be installed with apt-get;" \
      "install SentencePiece (https://github.com/google/sentencepiece) so spm_train is on PATH" >&2
    exit 1
  fi
fi

mkdir -p "$(dirname "$OUT")"
# Both sides of every pair, one sentence a line: the first two TSV columns. The file sits next to
# the output (SentencePiece records its path in the model), and is removed afterwards.
text="$OUT.sentences.txt"
trap 'rm -f "$text"' EXIT
cut -f1 "$INPUT" >"$text"
cut -f2 "$INPUT" >>"$text"

byte_fallback=false
[ "$TYPE" = bpe ] && byte_fallback=true
spm_train --input="$text" --model_prefix="$OUT" --vocab_size="$VOCAB" --model_type="$TYPE" \
  --character_coverage=1.0 --normalization_rule_name=identity --byte_fallback="$byte_fallback" \
  --pad_id=0 --unk_id=1 --bos_id=2 --eos_id=3 \
  --input_sentence_size=2000000 --shuffle_input_sentence=true --num_threads="$(nproc)" \
  --minloglevel=1
echo "build-tokenizer: wrote $OUT.model ($TYPE, vocabulary $VOCAB)"
