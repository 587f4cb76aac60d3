using System.Runtime.InteropServices;

namespace Ebpf.Linux.Interop;

// Object info records filled by BPF_OBJ_GET_INFO_BY_FD (include/uapi/linux/bpf.h, Linux 6.18). The kernel copies
// min(our size, its size) bytes, so a newer kernel's extra fields are simply not read and an older kernel leaves ours 0.

/// <summary>struct bpf_prog_info.</summary>
[StructLayout(LayoutKind.Sequential, Size = 232)]
internal unsafe struct ProgInfoRecord
{
    public uint Type;
    public uint Id;
    public ulong Tag;                            // u8 tag[8], read as raw bytes
    public uint JitedProgLen;
    public uint XlatedProgLen;
    public ulong JitedProgInsns;
    public ulong XlatedProgInsns;
    public ulong LoadTime;                       // ns since boot
    public uint CreatedByUid;
    public uint NrMapIds;
    public ulong MapIds;
    public fixed byte Name[16];
    public uint Ifindex;
    public uint GplCompatible;                   // bit 0
    public ulong NetnsDev;
    public ulong NetnsIno;
    public uint NrJitedKsyms;
    public uint NrJitedFuncLens;
    public ulong JitedKsyms;
    public ulong JitedFuncLens;
    public uint BtfId;
    public uint FuncInfoRecSize;
    public ulong FuncInfo;
    public uint NrFuncInfo;
    public uint NrLineInfo;
    public ulong LineInfo;
    public ulong JitedLineInfo;
    public uint NrJitedLineInfo;
    public uint LineInfoRecSize;
    public uint JitedLineInfoRecSize;
    public uint NrProgTags;
    public ulong ProgTags;
    public ulong RunTimeNs;
    public ulong RunCnt;
    public ulong RecursionMisses;
    public uint VerifiedInsns;
    public uint AttachBtfObjId;
    public uint AttachBtfId;
}

/// <summary>struct bpf_map_info.</summary>
[StructLayout(LayoutKind.Sequential, Size = 104)]
internal unsafe struct MapInfoRecord
{
    public uint Type;
    public uint Id;
    public uint KeySize;
    public uint ValueSize;
    public uint MaxEntries;
    public uint MapFlags;
    public fixed byte Name[16];
    public uint Ifindex;
    public uint BtfVmlinuxValueTypeId;
    public ulong NetnsDev;
    public ulong NetnsIno;
    public uint BtfId;
    public uint BtfKeyTypeId;
    public uint BtfValueTypeId;
    public uint BtfVmlinuxId;
    public ulong MapExtra;
    public ulong Hash;
    public uint HashSize;
}

/// <summary>struct bpf_btf_info.</summary>
[StructLayout(LayoutKind.Sequential, Size = 32)]
internal struct BtfInfoRecord
{
    public ulong Btf;
    public uint BtfSize;
    public uint Id;
    public ulong Name;
    public uint NameLen;
    public uint KernelBtf;
}

/// <summary>struct bpf_link_info: the common head and the per-type union as raw bytes (decoded by LinkInfo).</summary>
[StructLayout(LayoutKind.Sequential, Size = 64)]
internal unsafe struct LinkInfoRecord
{
    public uint Type;
    public uint Id;
    public uint ProgId;
    private readonly uint _pad;
    public fixed byte Union[48];                 // offset 16
}

/// <summary>BPF_TASK_FD_QUERY (the task_fd_query member of union bpf_attr).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TaskFdQueryAttr
{
    public uint Pid;
    public uint Fd;
    public uint Flags;
    public uint BufferLength;
    public ulong Buffer;
    public uint ProgramId;
    public uint FdType;
    public ulong ProbeOffset;
    public ulong ProbeAddress;
}
