"""Word lists the German sentence segmenter needs: abbreviations that take a full stop, and the words a
German sentence usually starts with (to tell "am 3. Juni" from "… verletzt wurden 3. Die Polizei …")."""

# Written without the final full stop; matched as written and lower-cased.
GERMAN_ABBREVIATIONS = frozenset(
    """
    abb abg abk abs abt adr akad allg amtl anh anl anm anschl aufl ausg bd bde bearb beil bes betr bez
    bhf bsp bspw bzgl bzw ca cf chr co corp dept dez dgl dipl dir do dr dt dtsch ebd ehem eig eigtl
    einschl engl entspr erg erw etc ev evtl exkl fa fam feb febr fr frl frz gbr geb gebr gegr gem ges gesch
    gest gg ggf ggfs gr hl hr hrn hrsg hs ing inh inkl int ital jan jh jhd jhs jr jun jul kap kath kfm kgl
    kl kr kt lfd lt ltd mag max mi mill min mind mio mo mod mr mrd mrs ms mwst nachf nat nchr nov nr nrn ns
    od okt op orig pfd pkt pl prof prot pseud rd reg rel resp rk rp sa sek sen sep sept sgt so sog st std
    str stud tab tel tsd ugs ult urspr usf usw verf verh verl vers vgl vj vol vorm vors wg wiss zb zit zt
    zz zzgl
    a.a.o a.d d.h d.i d.j i.a i.d.r i.e i.r i.v m.e n.chr o.a o.ä s.o s.u u.a u.ä u.u v.a v.chr z.b z.t
    abg. ao av fdp.
    """.split()
)

# Articles, pronouns, prepositions, conjunctions and adverbs that open German sentences.
SENTENCE_STARTERS = frozenset(
    """
    Der Die Das Den Dem Des Ein Eine Einen Einem Einer Eines Er Sie Es Wir Ihr Ich Man Dies Diese Dieser
    Dieses Diesen Jene Jener Sein Seine Ihre Unser Unsere Alle Viele Einige Mehrere Beide Keine Kein
    In Im Am An Auf Aus Bei Beim Mit Nach Seit Von Vom Vor Zu Zum Zur Für Gegen Ohne Um Unter Über Durch
    Während Wegen Trotz Laut Neben Zwischen Hinter Bis Ab
    Und Aber Oder Doch Denn Dann Da Dabei Damit Danach Dort Hier Heute Gestern Morgen Jetzt Nun So Auch
    Noch Nur Schon Zudem Außerdem Allerdings Jedoch Deshalb Daher Trotzdem Inzwischen Bereits Zuvor
    Als Wenn Weil Ob Dass Obwohl Nachdem Bevor Sobald Wie Was Wer Wo Wann Warum Welche Welcher Welches
    Insgesamt Insbesondere Zunächst Später Erst Laut Nicht Ebenfalls Gleichzeitig Anschließend
    """.split()
)
