"""Reference model families for the benchgate harness, built from their
architecture with random weights: no downloads, timing does not depend on
the weights.

When the `transformers` package is installed, families are built from its
configuration classes (the real architectures, shrunk for "small"); otherwise
from torch/torchvision modules of the same shape (a transformer encoder for
BERT, an encoder-decoder for T5, a decoder with RMSNorm and SwiGLU for
Llama/Qwen2, patch embeddings for ViT, a CNN backbone with a transformer
for DETR, and so on). Each builder returns (model, make_inputs, info), where
make_inputs(batch_size, sequence_length, device) returns the forward
arguments as a tuple and info describes the model for the result document.
"""

import math

import torch
from torch import nn

try:  # optional: the real architectures
    import transformers  # noqa: F401
    HAVE_TRANSFORMERS = True
except Exception:  # pragma: no cover - depends on the machine
    HAVE_TRANSFORMERS = False

FAMILIES = {
    "bert": "text", "t5": "text", "llama": "text", "qwen2": "text",
    "vit": "vision", "detr": "vision", "xclip": "vision",
    "whisper": "audio", "wav2vec2": "audio", "clap": "audio",
    "clip": "multimodal", "llava": "multimodal", "llava-next": "multimodal",
}


class BuildError(Exception):
    """A family cannot be built with what is installed."""


def _dims(small):
    # (hidden, heads, layers, ffn)
    return (256, 4, 4, 1024) if small else (768, 12, 12, 3072)


def _encoder(d, h, layers, ff, causal=False):
    layer = nn.TransformerEncoderLayer(d, h, ff, dropout=0.0, batch_first=True, norm_first=True)
    return nn.TransformerEncoder(layer, layers)


class RMSNorm(nn.Module):
    def __init__(self, d, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        return self.weight * x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)


class DecoderBlock(nn.Module):
    """A Llama/Qwen2-style block: RMSNorm, causal self-attention, SwiGLU MLP."""

    def __init__(self, d, h, ff):
        super().__init__()
        self.n1, self.n2 = RMSNorm(d), RMSNorm(d)
        self.attn = nn.MultiheadAttention(d, h, dropout=0.0, batch_first=True, bias=False)
        self.gate = nn.Linear(d, ff, bias=False)
        self.up = nn.Linear(d, ff, bias=False)
        self.down = nn.Linear(ff, d, bias=False)

    def forward(self, x, mask):
        y = self.n1(x)
        x = x + self.attn(y, y, y, attn_mask=mask, need_weights=False)[0]
        y = self.n2(x)
        return x + self.down(nn.functional.silu(self.gate(y)) * self.up(y))


class Decoder(nn.Module):
    def __init__(self, vocab, d, h, layers, ff):
        super().__init__()
        self.embed = nn.Embedding(vocab, d)
        self.blocks = nn.ModuleList(DecoderBlock(d, h, ff) for _ in range(layers))
        self.norm = RMSNorm(d)
        self.head = nn.Linear(d, vocab, bias=False)

    def forward(self, ids, prefix=None):
        x = self.embed(ids)
        if prefix is not None:
            x = torch.cat([prefix, x], dim=1)
        n = x.shape[1]
        mask = torch.triu(torch.full((n, n), float("-inf"), device=x.device), diagonal=1)
        for b in self.blocks:
            x = b(x, mask)
        return self.head(self.norm(x[:, -1:]))


class TextEncoder(nn.Module):
    def __init__(self, vocab, d, h, layers, ff, max_len=512):
        super().__init__()
        self.embed = nn.Embedding(vocab, d)
        self.pos = nn.Parameter(torch.zeros(1, max_len, d))
        self.enc = _encoder(d, h, layers, ff)

    def forward(self, ids):
        return self.enc(self.embed(ids) + self.pos[:, : ids.shape[1]])


class ViT(nn.Module):
    def __init__(self, d, h, layers, ff, image=224, patch=16):
        super().__init__()
        self.patch = nn.Conv2d(3, d, patch, patch)
        n = (image // patch) ** 2
        self.cls = nn.Parameter(torch.zeros(1, 1, d))
        self.pos = nn.Parameter(torch.zeros(1, n + 1, d))
        self.enc = _encoder(d, h, layers, ff)

    def forward(self, pixels):
        x = self.patch(pixels).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], dim=1) + self.pos
        return self.enc(x)


class Seq2Seq(nn.Module):
    """T5/Whisper shape: an encoder over the input and a decoder over tokens."""

    def __init__(self, vocab, d, h, layers, ff, frontend=None):
        super().__init__()
        self.frontend = frontend
        self.embed = nn.Embedding(vocab, d)
        self.t = nn.Transformer(d, h, layers, layers, ff, dropout=0.0, batch_first=True, norm_first=True)
        self.head = nn.Linear(d, vocab, bias=False)

    def forward(self, src, tgt):
        s = self.frontend(src) if self.frontend is not None else self.embed(src)
        return self.head(self.t(s, self.embed(tgt)))


class AudioFrontend(nn.Module):
    """Whisper's two convolutions over an 80-bin log-mel spectrogram."""

    def __init__(self, d, mels=80):
        super().__init__()
        self.c1 = nn.Conv1d(mels, d, 3, padding=1)
        self.c2 = nn.Conv1d(d, d, 3, stride=2, padding=1)

    def forward(self, mel):
        return nn.functional.gelu(self.c2(nn.functional.gelu(self.c1(mel)))).transpose(1, 2)


class Wav2Vec2(nn.Module):
    """Seven strided convolutions over raw 16 kHz audio, then an encoder."""

    def __init__(self, d, h, layers, ff):
        super().__init__()
        spec = [(512, 10, 5)] + [(512, 3, 2)] * 4 + [(512, 2, 2)] * 2
        convs, c_in = [], 1
        for c, k, s in spec:
            convs += [nn.Conv1d(c_in, c, k, s), nn.GELU()]
            c_in = c
        self.features = nn.Sequential(*convs)
        self.proj = nn.Linear(512, d)
        self.enc = _encoder(d, h, layers, ff)

    def forward(self, audio):
        return self.enc(self.proj(self.features(audio.unsqueeze(1)).transpose(1, 2)))


class DualEncoder(nn.Module):
    """CLIP/CLAP/X-CLIP shape: two towers and a similarity matrix."""

    def __init__(self, tower_a, tower_b, d, temporal=None):
        super().__init__()
        self.a, self.b, self.temporal = tower_a, tower_b, temporal
        self.pa, self.pb = nn.Linear(d, d), nn.Linear(d, d)

    def forward(self, x, ids):
        if self.temporal is not None:  # video: frames through the image tower
            bsz, frames = x.shape[:2]
            f = self.a(x.flatten(0, 1))[:, 0].view(bsz, frames, -1)
            ea = self.temporal(f).mean(1)
        else:
            ea = self.a(x)[:, 0]
        eb = self.b(ids)[:, 0]
        ea = nn.functional.normalize(self.pa(ea), dim=-1)
        eb = nn.functional.normalize(self.pb(eb), dim=-1)
        return ea @ eb.t()


class MelCNN(nn.Module):
    """CLAP's audio tower, shrunk: convolutions over a mel spectrogram."""

    def __init__(self, d):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(1, 64, 3, 2, 1), nn.ReLU(), nn.Conv2d(64, 128, 3, 2, 1), nn.ReLU(),
                                 nn.Conv2d(128, d, 3, 2, 1), nn.AdaptiveAvgPool2d((1, 1)))

    def forward(self, mel):
        return self.net(mel.unsqueeze(1)).flatten(1).unsqueeze(1)


class DETR(nn.Module):
    def __init__(self, d, h, layers, ff, small):
        super().__init__()
        try:
            import torchvision
        except Exception as e:
            raise BuildError(f"detr needs torchvision for its ResNet backbone: {e}")
        rn = torchvision.models.resnet18(weights=None) if small else torchvision.models.resnet50(weights=None)
        self.backbone = nn.Sequential(*list(rn.children())[:-2])
        self.proj = nn.Conv2d(512 if small else 2048, d, 1)
        self.queries = nn.Parameter(torch.zeros(1, 100, d))
        self.t = nn.Transformer(d, h, layers, layers, ff, dropout=0.0, batch_first=True)
        self.cls, self.box = nn.Linear(d, 92), nn.Linear(d, 4)

    def forward(self, pixels):
        f = self.proj(self.backbone(pixels)).flatten(2).transpose(1, 2)
        q = self.t(f, self.queries.expand(f.shape[0], -1, -1))
        return self.cls(q), self.box(q).sigmoid()


class LLaVA(nn.Module):
    """A ViT, a projector, and a decoder reading image tokens then text."""

    def __init__(self, d, h, layers, ff, vocab, tiles):
        super().__init__()
        self.vit = ViT(d, h, max(2, layers // 2), ff)
        self.proj = nn.Sequential(nn.Linear(d, d), nn.GELU(), nn.Linear(d, d))
        self.llm = Decoder(vocab, d, h, layers, ff)
        self.tiles = tiles

    def forward(self, pixels, ids):
        bsz = ids.shape[0]
        img = self.proj(self.vit(pixels.flatten(0, 1)))  # (bsz*tiles, n, d)
        img = img.reshape(bsz, -1, img.shape[-1])
        return self.llm(ids, prefix=img)


def _hf(family, small):
    """Build a family from its transformers configuration (random weights).

    Returns (model, make_inputs) or None for families without a recipe here;
    raises on failure, and the caller falls back to the torch modules.
    """
    import transformers as tf

    d, h, layers, ff = _dims(small)
    common = dict(hidden_size=d, num_attention_heads=h, num_hidden_layers=layers, intermediate_size=ff)
    if family == "bert":
        m = tf.BertModel(tf.BertConfig(**common))
        return m, lambda b, n, dev: (torch.randint(0, 30522, (b, n), device=dev),)
    if family in ("llama", "qwen2"):
        cfg = (tf.LlamaConfig if family == "llama" else tf.Qwen2Config)(vocab_size=32000, num_key_value_heads=h, **common)
        m = tf.LlamaForCausalLM(cfg) if family == "llama" else tf.Qwen2ForCausalLM(cfg)
        return m, lambda b, n, dev: (torch.randint(0, 32000, (b, n), device=dev),)
    if family == "vit":
        m = tf.ViTModel(tf.ViTConfig(**common))
        return m, lambda b, n, dev: (torch.randn(b, 3, 224, 224, device=dev),)
    if family == "t5":
        m = tf.T5Model(tf.T5Config(d_model=d, num_heads=h, num_layers=layers, d_ff=ff, d_kv=d // h))
        return m, lambda b, n, dev: (torch.randint(0, 32000, (b, n), device=dev), None, torch.randint(0, 32000, (b, max(1, n // 4)), device=dev))
    if family == "whisper":
        cfg = tf.WhisperConfig(d_model=d, encoder_layers=layers, decoder_layers=layers, encoder_attention_heads=h,
                               decoder_attention_heads=h, encoder_ffn_dim=ff, decoder_ffn_dim=ff)
        m = tf.WhisperModel(cfg)
        return m, lambda b, n, dev: (torch.randn(b, 80, 3000, device=dev), None, torch.randint(0, 51865, (b, 32), device=dev))
    if family == "wav2vec2":
        m = tf.Wav2Vec2Model(tf.Wav2Vec2Config(**common))
        return m, lambda b, n, dev: (torch.randn(b, 16000, device=dev),)
    return None


def build(family, small=True, use_transformers=True):
    """Return (model, make_inputs, info) for a family; BuildError if it cannot."""
    if family not in FAMILIES:
        raise BuildError(f"unknown model family {family!r} (known: {', '.join(FAMILIES)})")
    if use_transformers and HAVE_TRANSFORMERS:
        try:
            built = _hf(family, small)
        except Exception as e:  # fall back to the torch modules, saying why
            built, why = None, f"transformers build failed ({type(e).__name__}: {e}); "
        else:
            why = ""
        if built is not None:
            m, mk = built
            size = "small" if small else "base"
            params = sum(p.numel() for p in m.parameters()) / 1e6
            return m, mk, {"name": f"{family}-{size}", "family": family, "modality": FAMILIES[family], "size": size,
                           "parameters_million": round(params, 3),
                           "architecture": f"transformers {type(m).__name__} from its config (random weights)"}
    else:
        why = ""
    d, h, layers, ff = _dims(small)
    vocab = 32000
    size = "small" if small else "base"

    def ids(b, n, dev):
        return torch.randint(0, vocab, (b, n), device=dev)

    if family == "bert":
        m = TextEncoder(30522, d, h, layers, ff)
        mk = lambda b, n, dev: (ids(b, n, dev).clamp(max=30521),)  # noqa: E731
    elif family == "t5":
        m = Seq2Seq(vocab, d, h, layers, ff)
        mk = lambda b, n, dev: (ids(b, n, dev), ids(b, max(1, n // 4), dev))  # noqa: E731
    elif family in ("llama", "qwen2"):
        v = 151936 if family == "qwen2" and not small else vocab
        m = Decoder(v, d, h, layers, ff if family == "llama" else ff * 2)
        mk = lambda b, n, dev: (torch.randint(0, v, (b, n), device=dev),)  # noqa: E731
    elif family == "vit":
        m = ViT(d, h, layers, ff)
        mk = lambda b, n, dev: (torch.randn(b, 3, 224, 224, device=dev),)  # noqa: E731
    elif family == "detr":
        m = DETR(d, h, max(2, layers // 2), ff, small)
        mk = lambda b, n, dev: (torch.randn(b, 3, 384 if small else 800, 384 if small else 800, device=dev),)  # noqa: E731
    elif family == "xclip":
        m = DualEncoder(ViT(d, h, max(2, layers // 2), ff), TextEncoder(vocab, d, h, layers // 2 or 1, ff), d,
                        temporal=_encoder(d, h, 1, ff))
        mk = lambda b, n, dev: (torch.randn(b, 8, 3, 224, 224, device=dev), ids(b, min(n, 77), dev))  # noqa: E731
    elif family == "whisper":
        m = Seq2Seq(51865, d, h, layers, ff, frontend=AudioFrontend(d))
        frames = 1000 if small else 3000
        mk = lambda b, n, dev: (torch.randn(b, 80, frames, device=dev), torch.randint(0, 51865, (b, 32), device=dev))  # noqa: E731
    elif family == "wav2vec2":
        m = Wav2Vec2(d, h, layers, ff)
        mk = lambda b, n, dev: (torch.randn(b, 16000 * (1 if small else 5), device=dev),)  # noqa: E731
    elif family == "clap":
        m = DualEncoder(MelCNN(d), TextEncoder(vocab, d, h, layers // 2 or 1, ff), d)
        mk = lambda b, n, dev: (torch.randn(b, 64, 1001, device=dev), ids(b, min(n, 77), dev))  # noqa: E731
    elif family == "clip":
        m = DualEncoder(ViT(d, h, layers, ff), TextEncoder(vocab, d, h, layers, ff), d)
        mk = lambda b, n, dev: (torch.randn(b, 3, 224, 224, device=dev), ids(b, min(n, 77), dev))  # noqa: E731
    else:  # llava, llava-next
        tiles = 1 if family == "llava" else 5
        m = LLaVA(d, h, layers, ff, vocab, tiles)
        mk = lambda b, n, dev: (torch.randn(b, tiles, 3, 224, 224, device=dev), ids(b, n, dev))  # noqa: E731
    params = sum(p.numel() for p in m.parameters()) / 1e6
    info = {"name": f"{family}-{size}", "family": family, "modality": FAMILIES[family], "size": size,
            "parameters_million": round(params, 3),
            "architecture": why + "torch modules of the family's shape (random weights)"}
    return m, mk, info


def describe():
    return {f: FAMILIES[f] for f in FAMILIES}


if __name__ == "__main__":  # pragma: no cover
    for f in FAMILIES:
        m, mk, info = build(f)
        print(f, info["parameters_million"], "M params", math.prod(mk(1, 16, "cpu")[0].shape))
