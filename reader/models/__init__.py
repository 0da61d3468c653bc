"""Everything that loads or runs a model, as the guide's layout has it (``reader/models/``).

The first resident is the ONNX Runtime path of the e5 embedder (``onnx_e5``): the converted
multilingual-e5-small exported once to ONNX, in float32 and with int8 weights, run without
torch so that a worker process stays small. ``reader.embed.make_embedder`` picks between it
and sentence-transformers by ``Settings.embedding_backend``. The older model modules
(``reader.embed``, ``reader.e5_convert``, ``reader.translate``) move here when an issue has
someone working in them.
"""
