namespace Valkeyrie.ZooKeeper.Protocol;

/// <summary>A reply to one request: the header's zxid and error, and a reader over the body.</summary>
internal sealed record ZkReply(long Zxid, ZkErrorCode Error, JuteReader Body);
