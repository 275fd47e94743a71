namespace Valkeyrie.Redis;

/// <summary>
/// The Lua scripts every call runs. Each write script advances the global revision once, writes the data, appends
/// one change-log batch with stream id <c>revision-N</c>, and publishes the revision, all atomically, so that
/// indexes, the key index and the change log never disagree. Write scripts validate everything before their first
/// write because Redis does not roll a script back when it fails half-way.
/// </summary>
/// <remarks>
/// Every write script receives <c>KEYS = { revision, key index, expiries, change log }</c> and
/// <c>ARGV = { log length, channel, … }</c>. Revisions travel as decimal strings so no precision is lost.
/// </remarks>
internal static class RedisScripts
{
    // The shared half of every write script: the clock, expiry sweeping and the change-log append.
    private const string WritePrelude = """
        local REV, IDX, EXP, LOG = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
        local MAXLEN, CHANNEL = ARGV[1], ARGV[2]
        local clock = redis.call('TIME')
        local NOW = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)

        local function begin()
          return string.format('%d', redis.call('INCR', REV))
        end

        -- One batch may span several stream entries (rev-0, rev-1, ...): unpack() has a stack limit. Every event is
        -- four fields (kind, key, 'v', value) so entries split between events.
        local function finish(rev, events)
          local seq = 0
          local i = 1
          while i <= #events do
            local args = { 'XADD', LOG, 'MAXLEN', '~', MAXLEN, rev .. '-' .. seq }
            local last = math.min(#events, i + 3999)
            for j = i, last do args[#args + 1] = events[j] end
            redis.call(unpack(args))
            i = last + 1
            seq = seq + 1
          end
          redis.call('PUBLISH', CHANNEL, rev)
        end

        local function indexof(key)
          local kind = redis.call('TYPE', key).ok
          if kind == 'none' then return nil end
          if kind ~= 'hash' then return 'foreign' end
          return redis.call('HGET', key, 'index') or 'foreign'
        end

        local function put(rev, key, value, ttl, events)
          redis.call('DEL', key)
          redis.call('HSET', key, 'value', value, 'index', rev)
          redis.call('ZADD', IDX, 0, key)
          if ttl > 0 then
            redis.call('PEXPIREAT', key, NOW + ttl)
            redis.call('ZADD', EXP, NOW + ttl, key)
          else
            redis.call('ZREM', EXP, key)
          end
          events[#events + 1] = 'p'
          events[#events + 1] = key
          events[#events + 1] = 'v'
          events[#events + 1] = value
        end

        local function remove(key, events)
          redis.call('ZREM', IDX, key)
          redis.call('ZREM', EXP, key)
          if redis.call('DEL', key) == 1 then
            events[#events + 1] = 'd'
            events[#events + 1] = key
            events[#events + 1] = 'v'
            events[#events + 1] = ''
            return true
          end
          return false
        end

        -- Keys whose TTL has passed are deleted and logged (in a revision of their own) before anything else, so
        -- watchers see every expiry as a delete even when Redis already dropped the key by itself.
        local function sweep()
          local expired = redis.call('ZRANGEBYSCORE', EXP, '-inf', NOW, 'LIMIT', 0, 1000)
          if #expired == 0 then return end
          local rev = begin()
          local events = {}
          for _, key in ipairs(expired) do
            redis.call('ZREM', IDX, key)
            redis.call('ZREM', EXP, key)
            redis.call('DEL', key)
            events[#events + 1] = 'd'
            events[#events + 1] = key
            events[#events + 1] = 'v'
            events[#events + 1] = ''
          end
          finish(rev, events)
        end

        sweep()

        """;

    /// <summary>Deletes and logs expired keys. Returns nothing.</summary>
    public const string Sweep = WritePrelude + "return 0";

    /// <summary>
    /// Puts <c>ARGV[4]</c> at <c>ARGV[3]</c> with TTL <c>ARGV[5]</c> ms (0 = none). <c>ARGV[6]</c> is the expected
    /// index: empty for an unconditional put, <c>0</c> for create-only. Returns <c>{ outcome, revision }</c> with the
    /// outcome numbered as <see cref="KvCasOutcome"/>.
    /// </summary>
    public const string Put = WritePrelude + """
        local key, expected = ARGV[3], ARGV[6]
        if expected ~= '' then
          local current = indexof(key)
          if current == nil then
            if expected ~= '0' then return { 3, '0' } end
          elseif expected == '0' then
            return { 1, '0' }
          elseif current ~= expected then
            return { 2, '0' }
          end
        end
        local rev = begin()
        local events = {}
        put(rev, key, ARGV[4], tonumber(ARGV[5]), events)
        finish(rev, events)
        return { 0, rev }
        """;

    /// <summary>
    /// Deletes <c>ARGV[3]</c>; <c>ARGV[4]</c> is the expected index, empty for an unconditional delete. Returns the
    /// outcome numbered as <see cref="KvCasOutcome"/>.
    /// </summary>
    public const string Delete = WritePrelude + """
        local key, expected = ARGV[3], ARGV[4]
        local current = indexof(key)
        if current == nil then
          -- Dropped behind Valkeyrie's back (a plain DEL): forget its bookkeeping too.
          redis.call('ZREM', IDX, key)
          redis.call('ZREM', EXP, key)
          return 3
        end
        if expected ~= '' and current ~= expected then return 2 end
        local rev = begin()
        local events = {}
        remove(key, events)
        finish(rev, events)
        return 0
        """;

    /// <summary>Deletes the key <c>ARGV[3]</c> (empty = none) and every key listed under <c>ARGV[4]</c>..<c>ARGV[5]</c> (lexical range). Returns the count.</summary>
    public const string DeleteTree = WritePrelude + """
        local keys = redis.call('ZRANGEBYLEX', IDX, ARGV[4], ARGV[5])
        local events = {}
        local rev = nil
        local function take(key)
          if rev == nil and redis.call('EXISTS', key) == 1 then rev = begin() end
          remove(key, events)
        end
        if ARGV[3] ~= '' then take(ARGV[3]) end
        for _, key in ipairs(keys) do take(key) end
        if #events == 0 then
          return 0
        end
        finish(rev, events)
        return #events / 4
        """;

    /// <summary>
    /// A transaction: <c>ARGV[3]</c> operations follow as triples <c>c key index</c> (check; index 0 = absent),
    /// <c>p key value</c> then a TTL argument (so puts take four slots), and <c>d key -</c>. Returns 1 when applied, 0 when a check failed.
    /// </summary>
    public const string Commit = WritePrelude + """
        local count = tonumber(ARGV[3])
        local ops = {}
        local i = 4
        for n = 1, count do
          local kind = ARGV[i]
          if kind == 'p' then
            ops[n] = { kind, ARGV[i + 1], ARGV[i + 2], tonumber(ARGV[i + 3]) }
            i = i + 4
          else
            ops[n] = { kind, ARGV[i + 1], ARGV[i + 2] }
            i = i + 3
          end
        end
        local writes = 0
        for _, op in ipairs(ops) do
          if op[1] == 'c' then
            local current = indexof(op[2]) or '0'
            if current ~= op[3] then return 0 end
          else
            writes = writes + 1
          end
        end
        if writes == 0 then return 1 end
        local rev = begin()
        local events = {}
        for _, op in ipairs(ops) do
          if op[1] == 'p' then
            put(rev, op[2], op[3], op[4], events)
          elseif op[1] == 'd' then
            remove(op[2], events)
          end
        end
        if #events == 0 then
          -- The revision is spent; log an empty batch so the log stays gap-free.
          events = { 'n', '', 'v', '' }
        end
        finish(rev, events)
        return 1
        """;

    /// <summary>Renews the TTL of <c>ARGV[3]</c> to <c>ARGV[5]</c> ms while its index is still <c>ARGV[4]</c>. Returns 1 when renewed.</summary>
    public const string Renew = WritePrelude + """
        local key = ARGV[3]
        if indexof(key) ~= ARGV[4] then return 0 end
        local ttl = tonumber(ARGV[5])
        redis.call('PEXPIREAT', key, NOW + ttl)
        redis.call('ZADD', EXP, NOW + ttl, key)
        return 1
        """;

    /// <summary>
    /// Repairs the bookkeeping after native writes (redis-cli and the like) to the keys <c>ARGV[3..]</c>, which a
    /// keyspace notification named. A hash with a <c>value</c> field that Valkeyrie did not write as it stands (not
    /// listed, no or a foreign <c>index</c>, an index above the revision, or a value that differs from the one the change
    /// log holds for that index) gets a fresh revision as its index, joins the key index and is logged as a put; a
    /// listed key that is gone or no longer readable (a plain SET, a hash without <c>value</c>) leaves the key index
    /// and is logged as a delete. Keys Valkeyrie wrote itself are left alone, so indexes stay strictly increasing and
    /// compare-and-swap stays safe whoever writes. Returns the revision logged, <c>0</c> when nothing changed.
    /// </summary>
    public const string Adopt = WritePrelude + """
        local head = tonumber(redis.call('GET', REV) or '0')
        local oldest = head + 1
        local first = redis.call('XRANGE', LOG, '-', '+', 'COUNT', 1)
        if #first > 0 then oldest = tonumber(string.match(first[1][1], '^(%d+)-')) end

        -- Whether the log shows this key put with exactly this value at this index; true when the log no longer tells.
        local function logged(key, index, value)
          local n = tonumber(index)
          if n == nil or n < 1 or n > head or string.format('%d', n) ~= index then return false end
          if n < oldest then return true end
          local found = nil
          for _, entry in ipairs(redis.call('XRANGE', LOG, index .. '-0', index .. '-18446744073709551615')) do
            local f = entry[2]
            for i = 1, #f - 3, 4 do
              if f[i + 1] == key then found = (f[i] == 'p') and f[i + 3] or false end
            end
          end
          return found == value
        end

        local rev = nil
        local events = {}
        for i = 3, #ARGV do
          local key = ARGV[i]
          local listed = redis.call('ZSCORE', IDX, key)
          local fields = redis.pcall('HMGET', key, 'value', 'index')
          if fields.err or not fields[1] then
            if listed then
              if rev == nil then rev = begin() end
              redis.call('ZREM', IDX, key)
              redis.call('ZREM', EXP, key)
              events[#events + 1] = 'd'
              events[#events + 1] = key
              events[#events + 1] = 'v'
              events[#events + 1] = ''
            end
          elseif not (listed and fields[2] and logged(key, fields[2], fields[1])) then
            if rev == nil then rev = begin() end
            redis.call('HSET', key, 'index', rev)
            redis.call('ZADD', IDX, 0, key)
            events[#events + 1] = 'p'
            events[#events + 1] = key
            events[#events + 1] = 'v'
            events[#events + 1] = fields[1]
          end
        end
        if rev == nil then return '0' end
        finish(rev, events)
        return rev
        """;

    // Shared by Read and List: appends key, value and index of one stored key, skips a missing key, and refuses a key
    // that is not a Valkeyrie hash (written with plain SET, or a hash without our fields). HMGET answers for the common
    // case in one call; only a key that looks missing is checked again with EXISTS.
    private const string AppendPairFunction = """
        local function append_pair(result, key)
          local fields = redis.pcall('HMGET', key, 'value', 'index')
          if fields.err or (fields[1] and not fields[2]) or (fields[2] and not fields[1]) then
            return redis.error_reply('VKFOREIGN ' .. key)
          end
          if not fields[1] then
            if redis.call('EXISTS', key) == 1 then
              return redis.error_reply('VKFOREIGN ' .. key)
            end
            return nil
          end
          result[#result + 1] = key
          result[#result + 1] = fields[1]
          result[#result + 1] = fields[2]
          return nil
        end

        """;

    /// <summary>
    /// Reads <c>KEYS[2..]</c> with the revision: returns <c>{ revision, key, value, index, … }</c>; a missing key is
    /// left out, a key not written by Valkeyrie raises <c>VKFOREIGN key</c>.
    /// </summary>
    public const string Read = "#!lua flags=no-writes\n" + AppendPairFunction + """
        local result = { redis.call('GET', KEYS[1]) or '0' }
        for i = 2, #KEYS do
          local failure = append_pair(result, KEYS[i])
          if failure then
            return failure
          end
        end
        return result
        """;

    /// <summary>
    /// Lists the keys of the key index <c>KEYS[2]</c> in the lexical range <c>ARGV[1]</c>..<c>ARGV[2]</c> with the
    /// revision: <c>{ revision, key, value, index, … }</c>. Keys that expired but were not swept yet are skipped, and so
    /// is a listed key an operator overwrote with something Valkeyrie cannot read (one foreign key never fails a list;
    /// <see cref="Adopt"/> drops it from the key index as soon as its keyspace notification arrives).
    /// </summary>
    public const string List = "#!lua flags=no-writes\n" + AppendPairFunction + """
        local result = { redis.call('GET', KEYS[1]) or '0' }
        for _, key in ipairs(redis.call('ZRANGEBYLEX', KEYS[2], ARGV[1], ARGV[2])) do
          append_pair(result, key)
        end
        return result
        """;

    /// <summary>
    /// Reads the change log after revision <c>ARGV[1]</c>, at most about <c>ARGV[2]</c> entries, always ending on a
    /// whole revision. Returns <c>{ 'ok', revision, entries }</c>, or <c>{ 'lost', revision }</c> when the log no
    /// longer holds the very next revision (trimmed, deleted, or the server lost data).
    /// </summary>
    public const string ReadLog = """
        #!lua flags=no-writes
        local REV, LOG = KEYS[1], KEYS[2]
        local current = redis.call('GET', REV) or '0'
        local after = tonumber(ARGV[1])
        if tonumber(current) < after then return { 'lost', current } end
        if tonumber(current) == after then return { 'ok', current, {} } end
        local nextrev = string.format('%d', after + 1)
        local entries = redis.call('XRANGE', LOG, nextrev .. '-0', '+', 'COUNT', tonumber(ARGV[2]))
        if #entries == 0 or string.match(entries[1][1], '^(%d+)-') ~= nextrev then
          return { 'lost', current }
        end
        if #entries == tonumber(ARGV[2]) then
          local last = entries[#entries][1]
          local lastrev = string.match(last, '^(%d+)-')
          for _, entry in ipairs(redis.call('XRANGE', LOG, '(' .. last, lastrev .. '-18446744073709551615')) do
            entries[#entries + 1] = entry
          end
        end
        return { 'ok', current, entries }
        """;
}
