using System.Runtime.InteropServices;

namespace Ebpf.Linux.Interop;

// One struct per bpf() command, laid out as the members of union bpf_attr (include/uapi/linux/bpf.h, Linux 6.18).
// Every u64 is preceded by explicit padding so the layout never depends on the ABI's alignment of ulong (4 on i386,
// where the UAPI's __aligned_u64 is still 8). AttrLayoutTests checks each offset with clang against the kernel's BTF.
// Attributes are passed with their own size: a kernel that knows fewer fields accepts them as long as the tail is zero.

/// <summary>BPF_MAP_CREATE.</summary>
[StructLayout(LayoutKind.Sequential, Size = 80)]
internal unsafe struct MapCreateAttr
{
    public uint MapType;
    public uint KeySize;
    public uint ValueSize;
    public uint MaxEntries;
    public uint MapFlags;
    public uint InnerMapFd;
    public uint NumaNode;
    public fixed byte MapName[16];               // BPF_OBJ_NAME_LEN, NUL-terminated
    public uint MapIfindex;
    public uint BtfFd;
    public uint BtfKeyTypeId;
    public uint BtfValueTypeId;
    public uint BtfVmlinuxValueTypeId;
    public ulong MapExtra;                       // offset 64
    public int ValueTypeBtfObjFd;
    public int MapTokenFd;
}

/// <summary>BPF_MAP_LOOKUP_ELEM, _UPDATE_ELEM, _DELETE_ELEM, _GET_NEXT_KEY, _LOOKUP_AND_DELETE_ELEM, BPF_MAP_FREEZE.</summary>
[StructLayout(LayoutKind.Sequential, Size = 32)]
internal struct MapElemAttr
{
    public uint MapFd;
    private readonly uint _pad;
    public ulong Key;
    public ulong Value;                          // also next_key
    public ulong Flags;
}

/// <summary>BPF_MAP_*_BATCH (the attribute's <c>batch</c> member).</summary>
[StructLayout(LayoutKind.Sequential, Size = 56)]
internal struct MapBatchAttr
{
    public ulong InBatch;
    public ulong OutBatch;
    public ulong Keys;
    public ulong Values;
    public uint Count;
    public uint MapFd;
    public ulong ElemFlags;
    public ulong Flags;
}

/// <summary>BPF_PROG_LOAD.</summary>
[StructLayout(LayoutKind.Sequential, Size = 152)]
internal unsafe struct ProgLoadAttr
{
    public uint ProgType;
    public uint InsnCnt;
    public ulong Insns;
    public ulong License;
    public uint LogLevel;
    public uint LogSize;
    public ulong LogBuf;
    public uint KernVersion;
    public uint ProgFlags;
    public fixed byte ProgName[16];
    public uint ProgIfindex;
    public uint ExpectedAttachType;
    public uint ProgBtfFd;
    public uint FuncInfoRecSize;
    public ulong FuncInfo;
    public uint FuncInfoCnt;
    public uint LineInfoRecSize;
    public ulong LineInfo;
    public uint LineInfoCnt;
    public uint AttachBtfId;
    public uint AttachProgFd;                    // also attach_btf_obj_fd
    public uint CoreReloCnt;
    public ulong FdArray;
    public ulong CoreRelos;
    public uint CoreReloRecSize;
    public uint LogTrueSize;                     // 6.4+: the size the whole log needs
    public int ProgTokenFd;
    public uint FdArrayCnt;
}

/// <summary>BPF_OBJ_PIN, BPF_OBJ_GET.</summary>
[StructLayout(LayoutKind.Sequential, Size = 24)]
internal struct ObjPinAttr
{
    public ulong Pathname;
    public uint BpfFd;
    public uint FileFlags;
    public int PathFd;
}

/// <summary>BPF_PROG_TEST_RUN (the attribute's <c>test</c> member).</summary>
[StructLayout(LayoutKind.Sequential, Size = 80)]
internal struct TestRunAttr
{
    public uint ProgFd;
    public uint Retval;
    public uint DataSizeIn;
    public uint DataSizeOut;
    public ulong DataIn;
    public ulong DataOut;
    public uint Repeat;
    public uint Duration;
    public uint CtxSizeIn;
    public uint CtxSizeOut;
    public ulong CtxIn;
    public ulong CtxOut;
    public uint Flags;
    public uint Cpu;
    public uint BatchSize;
}

/// <summary>BPF_*_GET_NEXT_ID, BPF_*_GET_FD_BY_ID.</summary>
[StructLayout(LayoutKind.Sequential, Size = 16)]
internal struct GetIdAttr
{
    public uint StartId;                         // also prog_id, map_id, btf_id, link_id
    public uint NextId;
    public uint OpenFlags;
    public int FdByIdTokenFd;
}

/// <summary>BPF_OBJ_GET_INFO_BY_FD (the attribute's <c>info</c> member).</summary>
[StructLayout(LayoutKind.Sequential, Size = 16)]
internal struct ObjInfoAttr
{
    public uint BpfFd;
    public uint InfoLen;
    public ulong Info;
}

/// <summary>BPF_RAW_TRACEPOINT_OPEN.</summary>
[StructLayout(LayoutKind.Sequential, Size = 24)]
internal struct RawTracepointOpenAttr
{
    public ulong Name;
    public uint ProgFd;
    private readonly uint _pad;
    public ulong Cookie;
}

/// <summary>BPF_BTF_LOAD.</summary>
[StructLayout(LayoutKind.Sequential, Size = 40)]
internal struct BtfLoadAttr
{
    public ulong Btf;
    public ulong BtfLogBuf;
    public uint BtfSize;
    public uint BtfLogSize;
    public uint BtfLogLevel;
    public uint BtfLogTrueSize;
    public uint BtfFlags;
    public int BtfTokenFd;
}

/// <summary>BPF_ENABLE_STATS.</summary>
[StructLayout(LayoutKind.Sequential, Size = 8)]
internal struct EnableStatsAttr
{
    public uint Type;                            // enum bpf_stats_type
}

/// <summary>BPF_LINK_CREATE, with the target_btf_id member of its union (the only one feature probes need).</summary>
[StructLayout(LayoutKind.Sequential, Size = 64)]
internal struct LinkCreateAttr
{
    public uint ProgFd;                          // also map_fd
    public uint TargetFd;                        // also target_ifindex
    public uint AttachType;
    public uint Flags;
    public uint TargetBtfId;
}

/// <summary>BPF_PROG_BIND_MAP (Linux 5.8+): adds a map to a program's used maps.</summary>
[StructLayout(LayoutKind.Sequential, Size = 12)]
internal struct ProgBindMapAttr
{
    public uint ProgFd;
    public uint MapFd;
    public uint Flags;
}
