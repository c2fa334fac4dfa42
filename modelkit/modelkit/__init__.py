"""SceneLens modelkit: reference Multi-CLIP architectures, training and TorchScript bundle export."""
