#!/usr/bin/env python3
"""Writes the committed seed corpora of the libFuzzer targets (fuzz/corpus/<target>/) and the seed
TF.js model (fuzz/seed_model/): small valid files and near-valid ones (one defect each).
Targets whose first input byte picks options get that byte in front of each seed.
Run from anywhere: python3 fuzz/make_seeds.py"""
import base64, json, os, struct, zlib

here = os.path.dirname(os.path.abspath(__file__))
corpus = os.path.join(here, "corpus")


def put(target, name, data):
    d = os.path.join(corpus, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


# --- csv_reader: first byte = options (bit 0 header, bit 1 skip blank lines, bits 2-3 delimiter)
put("csv", "plain", b"\x05a,b,c\n1,2,3\n4,5,6\n")
put("csv", "quoted_crlf_bom", b"\x05\xef\xbb\xbfname,text\r\n\"x, y\",\"say \"\"hi\"\"\"\r\nz,\"multi\nline\"\r\n")
put("csv", "semicolon_blank", b"\x0ba;b\n\n1;2\n\n")
put("csv", "tab_noheader", b"\x00" + b"1\t2\n3\t4\n")
put("csv", "bad_quote", b"\x05a,b\n\"open,2\n")
put("csv", "ragged", b"\x05a,b\n1,2,3\n")

# --- fer2013: first byte bit 0 = default Usage (file without Usage column accepted)
px = " ".join(str((7 * i) % 256) for i in range(2304))
put("fer2013", "two_rows", "\x00emotion,pixels,Usage\n0,%s,Training\n6,%s,PrivateTest\n" % (px, px))
put("fer2013", "no_usage", "\x01emotion,pixels\n3,%s\n" % px)
put("fer2013", "quoted_crlf", "\x00emotion,pixels,Usage\r\n2,\"%s\",PublicTest\r\n" % px)
short = " ".join(["1"] * 2303)
put("fer2013", "short_row", "\x00emotion,pixels,Usage\n0,%s,Training\n" % short)
put("fer2013", "bad_label", "\x00emotion,pixels,Usage\n7,%s,Training\n" % px)
put("fer2013", "big_value", "\x00emotion,pixels,Usage\n0,256 %s,Training\n" % short)

# --- votes long form: first byte = options (bits 0-1 label format, bit 2 duplicates, bit 3 yes/no/maybe)
put("votes", "names", "\x00stimulus,rater,label\nimg00,p1,angry\nimg00,p2,anger\nimg01,p1,happy\nimg01,p2,Sadness\n")
put("votes", "indices", "\x02stimulus,rater,label\na,r1,0\na,r2,6\nb,r1,3\n")
put("votes", "custom", "\x08label,stimulus,rater\nyes,s1,u1\nmaybe,s1,u2\nno,s2,u1\n")
put("votes", "duplicate", "\x00stimulus,rater,label\na,r1,0\na,r1,1\n")
put("votes", "bad_index", "\x00stimulus,rater,label\na,r1,7\n")

# --- count table: first byte bit 0 = id column "id"
put("count_table", "with_id", "\x01id,a,b,c\nx,1,2,0\ny,0,0,3\n")
put("count_table", "no_id", "\x00a,b\n1,2\n3,4\n")
put("count_table", "negative", "\x00a,b\n1,-2\n")
put("count_table", "huge", "\x00a,b\n99999999999999999999,1\n")

# --- FER+ (fer2013new.csv): first byte bit 0 = bad_row_policy::skip
fph = "Usage,Image name,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,NF\n"
put("ferplus", "good", "\x00" + fph + "PublicTest,fer0000000.png,1,0,0,1,7,0,1,0,0,0\nTraining,,4,0,0,0,0,0,0,0,0,6\n"
    "PrivateTest,fer0000007.png,0,0,0,0,0,0,0,3,4,3\n")
put("ferplus", "skip_bad", "\x01" + fph + "PublicTest,fer000001.png,1,0,0,1,7,0,1,0,0,0\n"
    "PublicTest,fer0000002.png,1,0,0,1,-7,0,1,0,0,0\nPublicTest,fer0000003.png,1,0,0,1,7,0,1,0,0,0\n"
    "PublicTest,fer0000003.png,1,0,0,1,7,0,1,0,0,0\nTest,fer0000004.png,1,0,0,1,7,0,1,0,0,0\n")
put("ferplus", "reordered", "\x00NF,unknown,contempt,fear,disgust,anger,sadness,surprise,happiness,neutral,Image name,Usage\n"
    "0,1,2,3,4,5,6,7,8,9,fer0000003.png,Training\n")

# --- predictions: first byte bit 0 = classes cat/dog/0 instead of the FER-2013 emotions
em = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]
put("predictions", "probs", "\x00stimulus,label," + ",".join(em) + "\ns1,happy,0,0,0,1,0,0,0\ns2,3,0.1,0.1,0.1,0.4,0.1,0.1,0.1\n")
put("predictions", "labels_only", "\x00stimulus,label\ns1,anger\ns2,6\n")
put("predictions", "probs_only", "\x00stimulus," + ",".join(em) + "\ns1,0.5,0.5,0,0,0,0,0\n")
put("predictions", "custom", "\x01stimulus,label,cat,dog,0\na,dog,0.2,0.8,0\n")
put("predictions", "nan", "\x00stimulus," + ",".join(em) + "\ns1,nan,0.5,0,0,0,0,0\n")

# --- PGM
put("pgm", "p2", b"P2\n# comment\n3 2\n255\n0 1 2\n3 4 255\n")
put("pgm", "p5", b"P5 2 2 255\n" + bytes([0, 64, 128, 255]))
put("pgm", "p5_16bit", b"P5\n2 1\n65535\n" + bytes([0, 1, 255, 255]))
put("pgm", "truncated", b"P5\n4 4\n255\n" + bytes(5))
put("pgm", "above_maxval", b"P2 2 1 10 3 11\n")


# --- manifest: first byte mod 3 = reader (0 read_stimulus_manifest, 1 attach_votes, 2
# attach_predictions against the fixed manifest s1 happy original, s2 sad GB 0.8)
put("manifest", "manifest", "\x00# provenance\nid,label,condition,fer2013_row,file\n"
    "a,happy,original,1,a.png\nb,happy,GB 0.8,1,b.png\nc,0,GN 10,2,c.png\n")
put("manifest", "manifest_kind_level", "\x00stimulus,label,distortion,level,source_id\n"
    "a,sad,gaussian_blur,1.1,x\nb,sad,salt_and_pepper,0.04,x\n")
put("manifest", "manifest_bad_condition", "\x00id,label,condition,source\na,happy,GB 2,x\n")
put("manifest", "manifest_two_labels", "\x00id,label,condition,source\na,happy,original,x\nb,sad,GN 20,x\n")
put("manifest", "votes_long", "\x01stimulus,rater,label\ns1,r1,happy\ns2,r1,sad\ns2,r2,angry\n")
put("manifest", "votes_counts", "\x01stimulus,angry,disgust,fear,happy,sad,surprise,neutral\n"
    "s1,0,0,0,3,0,0,1\ns2,1,0,0,0,2,0,0\n")
put("manifest", "votes_unknown_stimulus", "\x01stimulus,rater,label\ns1,r1,happy\ns3,r1,sad\n")
put("manifest", "votes_missing_stimulus", "\x01stimulus,rater,label\ns1,r1,happy\n")
put("manifest", "predictions", "\x02stimulus,label\ns1,3\ns2,4\n")
put("manifest", "predictions_bad_label", "\x02stimulus,label\ns1,7\ns2,4\n")
put("manifest", "predictions_missing", "\x02stimulus,label\ns2,4\n")

# --- jspsych (read_jspsych_votes): first byte = options (bit 0 skip, bit 1 exclude_failed 0, bit 2
# categories yes/no/maybe, bit 3 two files: the rest split at its first NUL byte); the test exports
data_jspsych = os.path.join(here, "..", "tests", "data", "jspsych")
for f, opt in [("p01.csv", 0), ("p02.json", 2), ("p03.json", 0), ("p04_edited.csv", 0), ("bad_rows.csv", 1)]:
    with open(os.path.join(data_jspsych, f), "rb") as src:
        put("jspsych", f, bytes([opt]) + src.read())
js_head = "disfer_task,disfer_participant,stimulus,response,disfer_expected,rt\r\n"
put("jspsych", "two_files", "\x08" + js_head + "rating,a,images/s1.png,3,,null\r\nattention,a,c.png,1,1,512\r\n\x00"
    '[{"disfer_task":"rating","disfer_participant":"a","stimulus":"images/s2.png","response":0,"rt":null},'
    '{"disfer_task":"attention","disfer_participant":"a","stimulus":"c","response":null,"disfer_expected":4}]')
put("jspsych", "custom", "\x04" + js_head + "rating,a,s1,0,,1\r\nrating,b,s1,2,,2.5\r\nrating,a,s2,1,,null\r\n")
put("jspsych", "nested", "\x00\ufeff [\n"
    '{"trial_type":"survey-text","response":{"Q0":[1,{"a":"\\u00e9\\ud83d\\ude00"}]},"disfer_participant":"p"},\n'
    '{"disfer_task":"rating","disfer_participant":"p","disfer_id":"x","stimulus":"x.png","response":"6",'
    '"disfer_position":"0","rt":1e3,"extra":[[],{},true,false,null,-0.5e-3]}]')
put("jspsych", "duplicate", "\x01" + js_head + "rating,a,s1,0,,1\r\nrating,a,s1,1,,1\r\nrating,a,s2,9,,1\r\n")
put("jspsych", "excluded", "\x00" + js_head + "rating,a,s1,0,,1\r\nattention,a,c,1,2,1\r\nattention,a,c,1,3,1\r\n"
    "rating,b,s1,0,,1\r\n")
put("jspsych", "bad_json", '\x00[{"disfer_task":"rating","response":01}]')


# --- PNG: the committed test images and a hand-made 2x2 gray one
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)


def gray_png(w, h, depth, rows, interlace=0):
    ihdr = struct.pack(">IIBBBBB", w, h, depth, 0, 0, 0, interlace)
    raw = b"".join(b"\x00" + r for r in rows)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


data_png = os.path.join(here, "..", "tests", "data", "png")
for f in sorted(os.listdir(data_png)):
    if f.endswith(".png") and os.path.getsize(os.path.join(data_png, f)) < 4096:
        with open(os.path.join(data_png, f), "rb") as src:
            put("png", f, src.read())
put("png", "gray2x2.png", gray_png(2, 2, 8, [b"\x00\x80", b"\xff\x10"]))
put("png", "gray16_1x2.png", gray_png(1, 2, 16, [b"\x12\x34", b"\xff\xff"]))
put("png", "truncated.png", gray_png(2, 2, 8, [b"\x00\x80", b"\xff\x10"])[:40])


# --- TF.js: the seed model of test_tfjs_graph's small_model: x [-1,4,4,1] -> _FusedConv2D 3x3
# SAME stride 2 + BiasAdd + Relu -> Mean over H, W -> AddV2 -> Softmax -> Identity.
def b64(s):
    return base64.b64encode(s.encode()).decode()


def model_json(quant):
    weights, nodes = [], []
    nodes.append({"name": "x", "op": "Placeholder", "attr": {
        "shape": {"shape": {"dim": [{"size": "-1"}, {"size": "4"}, {"size": "4"}, {"size": "1"}]}},
        "dtype": {"type": "DT_FLOAT"}}})
    for name, shape in (("w", [3, 3, 1, 1]), ("b", [1])):
        w = {"name": name, "shape": shape, "dtype": "float32"}
        if quant:
            w["quantization"] = {"dtype": quant} if quant == "float16" else {"dtype": quant, "scale": 0.5, "min": -1}
        weights.append(w)
        nodes.append({"name": name, "op": "Const", "attr": {"dtype": {"type": "DT_FLOAT"}}})
    nodes.append({"name": "conv", "op": "_FusedConv2D", "input": ["x", "w", "b"], "attr": {
        "padding": {"s": b64("SAME")}, "strides": {"list": {"i": ["1", "2", "2", "1"]}},
        "data_format": {"s": b64("NHWC")}, "fused_ops": {"list": {"s": [b64("BiasAdd"), b64("Relu")]}}}})
    weights.append({"name": "axes", "shape": [2], "dtype": "int32"})
    nodes.append({"name": "axes", "op": "Const"})
    nodes.append({"name": "mean", "op": "Mean", "input": ["conv", "axes"], "attr": {"keep_dims": {"b": False}}})
    weights.append({"name": "logit_bias", "shape": [2], "dtype": "float32"})
    nodes.append({"name": "logit_bias", "op": "Const"})
    nodes.append({"name": "logits", "op": "AddV2", "input": ["mean", "logit_bias"]})
    nodes.append({"name": "probs", "op": "Softmax", "input": ["logits"]})
    nodes.append({"name": "out", "op": "Identity", "input": ["probs"]})
    return {"format": "graph-model", "modelTopology": {"node": nodes},
            "weightsManifest": [{"paths": ["w.bin"], "weights": weights}]}


def weights_bin(quant):
    w, b, axes, lb = [1.0] * 9, [-40.0], [1, 2], [0.0, 1.0]
    if quant == "":
        return struct.pack("<9f", *w) + struct.pack("<f", *b) + struct.pack("<2i", *axes) + struct.pack("<2f", *lb)
    if quant == "uint8":
        return bytes([4] * 9) + bytes([0]) + struct.pack("<2i", *axes) + struct.pack("<2f", *lb)
    if quant == "uint16":
        return struct.pack("<9H", *[4] * 9) + struct.pack("<H", 0) + struct.pack("<2i", *axes) + struct.pack("<2f", *lb)
    return struct.pack("<9e", *w) + struct.pack("<e", *b) + struct.pack("<2i", *axes) + struct.pack("<2f", *lb)


seed_dir = os.path.join(here, "seed_model")
os.makedirs(seed_dir, exist_ok=True)
for i, q in enumerate(["", "uint8", "uint16", "float16"]):
    j = json.dumps(model_json(q), indent=1)
    with open(os.path.join(seed_dir, "model%s.json" % ("_" + q if q else "")), "w") as f:
        f.write(j + "\n")
    put("tfjs_weights", "w_%s.bin" % (q or "float32"), bytes([i]) + weights_bin(q))
    put("tfjs_model", "model_%s.json" % (q or "float32"), j)
with open(os.path.join(seed_dir, "w.bin"), "wb") as f:
    f.write(weights_bin(""))
put("tfjs_weights", "truncated.bin", bytes([0]) + weights_bin("")[:20])
put("tfjs_model", "not_json.json", '{"modelTopology": [1, 2,, 3]}')
bad = model_json("")
bad["weightsManifest"][0]["weights"][0]["shape"] = [3, 1, 3, 1]
put("tfjs_model", "wrong_shape.json", json.dumps(bad))


# --- TF.js weights manifest (read_tfjs_weights_manifest; tfjs_weights modes 4-7): a manifest over
# the seed model's w.bin (56 bytes) with every dtype and quantisation in group 0, and a group 1 of
# two shards (w.bin twice) read as 56 float16 values.
def weights_manifest():
    def q(dtype, scale=0.5, mn=-1):
        return {"dtype": dtype} if dtype == "float16" else {"dtype": dtype, "scale": scale, "min": mn}
    g0 = [{"name": "f", "shape": [3], "dtype": "float32"},
          {"name": "q8", "shape": [2, 2], "dtype": "float32", "quantization": q("uint8")},
          {"name": "q16", "shape": [4], "dtype": "float32", "quantization": q("uint16", 0.25, 2)},
          {"name": "h", "shape": [4], "dtype": "float32", "quantization": q("float16")},
          {"name": "q8i", "shape": [4], "dtype": "int32", "quantization": q("uint8", 2, -3)},
          {"name": "i", "shape": [3], "dtype": "int32"},
          {"name": "b", "shape": [4], "dtype": "bool"},
          {"name": "tail", "shape": [1, 1], "dtype": "float32"}]
    g1 = [{"name": "g1/h", "shape": [7, 8], "dtype": "float32", "quantization": q("float16")}]
    return [{"paths": ["w.bin"], "weights": g0}, {"paths": ["w.bin", "w.bin"], "weights": g1}]


with open(os.path.join(seed_dir, "weights_manifest.json"), "w") as f:
    f.write(json.dumps(weights_manifest(), indent=1) + "\n")
put("tfjs_weights", "manifest_shard.bin", bytes([5]) + weights_bin(""))
put("tfjs_weights", "manifest_shard_short.bin", bytes([5]) + weights_bin("")[:50])
put("tfjs_weights", "manifest.json", bytes([4]) + json.dumps(weights_manifest()).encode())
dup = weights_manifest()
dup[1]["weights"][0]["name"] = "q8"
put("tfjs_weights", "manifest_duplicate.json", bytes([4]) + json.dumps(dup).encode())
nomin = weights_manifest()
del nomin[0]["weights"][1]["quantization"]["min"]
put("tfjs_weights", "manifest_no_min.json", bytes([4]) + json.dumps(nomin).encode())
outside = weights_manifest()
outside[1]["paths"] = ["w.bin", "../seed_model/w.bin"]
put("tfjs_weights", "manifest_dotdot.json", bytes([4]) + json.dumps(outside).encode())
