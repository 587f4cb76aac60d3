namespace Ebpf.Loader;

internal sealed partial class ObjectReader
{
    private bool _coRePending;

    // bpf_object__relocate_core: patch each function's own instructions before linking.
    private void ApplyCoRe()
    {
        if (_extInfo is null || _extInfo.CoRe.Count == 0) return;
        if (_options.TargetBtf is null) { _coRePending = true; return; }
    }
}
