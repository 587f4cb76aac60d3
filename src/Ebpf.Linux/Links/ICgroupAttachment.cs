namespace Ebpf.Linux.Links;

/// <summary>A program on a cgroup hook, by link (<see cref="CgroupLink"/>) or by BPF_PROG_ATTACH (<see cref="CgroupAttachment"/>). Disposing detaches it.</summary>
public interface ICgroupAttachment : IDisposable
{
    /// <summary>The cgroup v2 directory.</summary>
    string CgroupPath { get; }

    /// <summary>The hook.</summary>
    AttachType AttachType { get; }

    /// <summary>Replaces the program atomically: every event runs either the old or the new one.</summary>
    void Update(KernelProgram program);
}
