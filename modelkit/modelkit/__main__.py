"""Command line: python3 -m modelkit <export-tiny | export | bundle-info | train-demo |
evaluate-slice> ..."""
import argparse
import json
import sys
import time


def _read_json_list(path):
    if not path:
        return None
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if not isinstance(data, list) or not all(isinstance(x, str) for x in data):
        raise SystemExit(f"{path}: expected a JSON list of strings")
    return data


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m modelkit",
                                     description="SceneLens reference models and bundle export")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("export-tiny", help="random-weight tiny test bundles + reference outputs")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--clip-vocab", help="CLIP BPE vocab (bpe_simple_vocab_16e6.txt.gz); also "
                   "writes the clip-bpe bundle, whose manifest names this absolute path")

    p = sub.add_parser("export", help="export one bundle")
    p.add_argument("--config", choices=["tiny", "demo", "paper"], default="tiny")
    p.add_argument("--kind", choices=["scene-encoder", "qa", "sqa", "clip"], required=True,
                   help="sqa = qa with --situated")
    p.add_argument("--out", required=True, help="bundle folder")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--name", default="")
    p.add_argument("--situated", action="store_true", help="qa: situated (SQA3D-style) model")
    p.add_argument("--tokenizer", choices=["word", "clip-bpe"], default="word")
    p.add_argument("--vocab", help="word vocabulary JSON list (default: built-in)")
    p.add_argument("--clip-vocab", help="CLIP BPE vocab file for --tokenizer clip-bpe")
    p.add_argument("--copy-vocab", action="store_true",
                   help="copy the CLIP BPE vocab into the bundle instead of naming its path")
    p.add_argument("--answers", help="qa: answer vocabulary JSON list (default: built-in)")
    p.add_argument("--checkpoint", help="state_dict (or {'model': state_dict}) to load")
    p.add_argument("--reference-batch", type=int, default=0,
                   help="batch of the reference input (default 2 for tiny, 1 for paper)")
    p.add_argument("--no-reference", action="store_true", help="skip reference/ outputs")

    p = sub.add_parser("bundle-info", help="print a bundle's manifest and parameter count")
    p.add_argument("bundle", help="bundle folder")

    p = sub.add_parser("train-demo", help="train, evaluate and export the demo bundles")
    p.add_argument("--data", action="append", required=True,
                   help="a `scenelens synth` folder with renders (repeat for several)")
    p.add_argument("--out", required=True, help="bundles folder (resources/models)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--slice", help="the demo slice (`scenelens synth --scenes 24 --seed 1`): "
                   "writes <out>/slice-metrics.json")
    p.add_argument("--epochs-scale", type=float, default=1.0,
                   help="multiply every stage's epochs (quick runs: 0.1)")

    p = sub.add_parser("evaluate-slice", help="slice metrics of exported demo bundles")
    p.add_argument("--bundles", required=True, help="folder with the four demo bundles")
    p.add_argument("--data", required=True, help="the demo slice synth folder")

    args = parser.parse_args(argv)
    import torch
    torch.set_num_threads(1)
    from . import export as E

    if args.command == "train-demo":
        from . import demo
        base = demo.Schedule()
        scaled = demo.Schedule(*(max(1, round(e * args.epochs_scale)) for e in
                                 (base.clip, base.encoder, base.qa, base.sqa)))
        demo.train_demo(args.data, args.out, args.seed, scaled, args.slice)
        return 0
    if args.command == "evaluate-slice":
        from . import demo
        print(json.dumps(demo.evaluate_slice(args.bundles, args.data), indent=2))
        return 0

    start = time.time()
    if args.command == "export-tiny":
        written = E.export_tiny(args.out, args.seed, args.clip_vocab)
        for name in written:
            print(f"{args.out}/{name}")
        print(f"{args.out}/broken/{{wrong-shape,missing-method,bad-json,missing-module,missing-key}}")
    elif args.command == "export":
        batch = args.reference_batch or (2 if args.config == "tiny" else 1)
        common = dict(config=args.config, seed=args.seed, name=args.name,
                      checkpoint=args.checkpoint, reference_batch=batch,
                      reference=not args.no_reference)
        if args.kind == "scene-encoder":
            E.export_scene_encoder(args.out, **common)
        elif args.kind in ("qa", "sqa"):
            E.export_qa(args.out, situated=args.situated or args.kind == "sqa",
                        tokenizer=args.tokenizer, vocab=_read_json_list(args.vocab),
                        clip_vocab=args.clip_vocab, copy_vocab=args.copy_vocab,
                        answers=_read_json_list(args.answers), **common)
        else:
            E.export_clip(args.out, tokenizer=args.tokenizer, vocab=_read_json_list(args.vocab),
                          clip_vocab=args.clip_vocab, copy_vocab=args.copy_vocab, **common)
        print(args.out)
    elif args.command == "bundle-info":
        print(E.bundle_info(args.bundle))
        return 0
    print(f"done in {time.time() - start:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
