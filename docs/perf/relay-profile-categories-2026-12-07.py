# Per-relay CPU by category from two async-profiler collapsed-stack files (app, bare) of a
# closed-loop relay run: python3 relay-profile-categories-2026-12-07.py APP.collapsed APP_RELAYS_PER_S BARE.collapsed BARE_RELAYS_PER_S
# Samples are taken every 499 us over a 61 s run (1 s warm-up + 60 s), hence the constants below.
import collections, sys
def cats(path):
    tot=0; c=collections.Counter()
    for line in open(path):
        stack,_,n=line.rstrip().rpartition(' ')
        n=int(n); tot+=n
        fr=stack.split(';')
        s=';'.join(fr)
        if fr[0]!='org/xnio/nio/WorkerThread.run': c['other threads (JIT, GC, main)']+=n; continue
        if 'writev' in s or 'FileDispatcherImpl.write' in s or 'SocketDispatcher.write' in s: k='write syscall'
        elif 'SocketDispatcher.read' in s: k='read syscall'
        elif 'epoll' in s or 'EPoll' in s: k='epoll/select'
        elif any(x in s for x in ('opentelemetry','/observability/')): k='telemetry (otel/metrics/obs)'
        elif 'micrometer' in s or 'logback' in s or 'Telemetry' in s: k='telemetry (otel/metrics/obs)'
        elif 'jackson' in s or 'Codec' in s or 'EnvelopeScanner' in s or 'MiniJson' in s or 'Json' in s: k='json'
        elif 'UTF8Checker' in s or 'Masker' in s or 'BufferedTextMessage' in s and 'io/signaling' not in s and 'Bare' not in s and 'jsr' not in s: k='ws frame read (utf8, mask, buffer)'
        elif 'io/signaling' in s: k='signaling code (app/bare), excl. above'
        elif 'jsr' in s: k='JSR layer'
        else: k='undertow/xnio other'
        c[k]+=n
    return tot,c
rates={'app':float(sys.argv[2]),'bare':float(sys.argv[4])}
res={}
for name,path in (('app',sys.argv[1]),('bare',sys.argv[3])):
    res[name]=cats(path)
keys=sorted(set(res['app'][1])|set(res['bare'][1]), key=lambda k:-res['app'][1][k])
# samples at 499us interval over 61 s run -> us per relay = samples*0.499ms*1000 / (rate*61)
print(f"{'category':45} {'app us/relay':>12} {'bare us/relay':>13}")
for k in keys:
    a=res['app'][1][k]*499/ (rates['app']*61); b=res['bare'][1][k]*499/(rates['bare']*61)
    print(f"{k:45} {a:12.2f} {b:13.2f}")
print(f"{'total':45} {res['app'][0]*499/(rates['app']*61):12.2f} {res['bare'][0]*499/(rates['bare']*61):13.2f}")
