import json,statistics,sys
files=sys.argv[1:]
pool={'rawJdk':[], 'resilientStandard':[]}
ratios=[]
for f in files:
    d=json.load(open(f))
    med={}
    for b in d:
        n=b['benchmark'].split('.')[-1]
        if n in pool and b['threads']==1:
            forks=[statistics.median(x) for x in b['primaryMetric']['rawData']]
            pool[n]+=forks
            med[n]=statistics.median(forks)
    if len(med)==2:
        ratios.append(med['resilientStandard']/med['rawJdk'])
        print(f, {k:round(v) for k,v in med.items()}, 'ratio %.2f'%ratios[-1])
r=statistics.median(pool['resilientStandard']); w=statistics.median(pool['rawJdk'])
print('runs',len(ratios),'median run ratio %.3f'%statistics.median(ratios), 'pooled forks: raw %.0f (%d forks) resilient %.0f (%d forks) ratio %.3f'%(w,len(pool['rawJdk']),r,len(pool['resilientStandard']),r/w))
