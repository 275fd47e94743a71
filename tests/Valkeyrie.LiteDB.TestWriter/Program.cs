// Usage: <command> <file> <key> [value] [count|ttl-ms]
//   put        writes key=value `count` times (1 by default), printing each index, then deletes nothing
//   delete     deletes key
//   lock-hold  acquires the lock with value, prints "acquired <token>", waits for a line on stdin, releases
//   lock-die   acquires the lock with value and a TTL of ttl-ms, prints "acquired <token>" and exits without releasing
//   alive-die  writes key=value with keep-alive and a TTL of ttl-ms, prints "written <index>" and exits without cleanup
using System.Globalization;
using System.Text;
using Valkeyrie;
using Valkeyrie.LiteDB;

var (command, file, key) = (args[0], args[1], args[2]);
var value = Encoding.UTF8.GetBytes(args.Length > 3 ? args[3] : string.Empty);
var number = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 1;
var store = new LiteDbKvStore(new LiteDbKvStoreOptions { FilePath = file });
switch (command)
{
    case "put":
        for (var i = 0; i < number; i++)
        {
            var pair = await store.PutAsync(key, value);
            Console.WriteLine($"index {pair.LastIndex}");
        }

        break;
    case "delete":
        Console.WriteLine($"deleted {await store.DeleteAsync(key)}");
        break;
    case "lock-hold":
        {
            var lease = await store.CreateLock(key, new KvLockOptions { Value = value }).AcquireAsync();
            Console.WriteLine($"acquired {lease.FencingToken}");
            Console.ReadLine();
            await lease.ReleaseAsync();
            Console.WriteLine("released");
            break;
        }

    case "lock-die":
        {
            var lease = await store.CreateLock(key, new KvLockOptions { Value = value, Ttl = TimeSpan.FromMilliseconds(number) }).AcquireAsync();
            Console.WriteLine($"acquired {lease.FencingToken}");
            Environment.Exit(0);
            break;
        }

    case "alive-die":
        {
            var pair = await store.PutAsync(key, value, new KvWriteOptions { Ttl = TimeSpan.FromMilliseconds(number), KeepAlive = true });
            Console.WriteLine($"written {pair.LastIndex}");
            Environment.Exit(0);
            break;
        }

    default:
        Console.Error.WriteLine($"unknown command {command}");
        return 2;
}

await store.DisposeAsync();
return 0;
