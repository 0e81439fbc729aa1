package connect

// Snapshot is a connect session as the UI sees it: never a credential.
type Snapshot struct {
	ID               string        `json:"id"`
	Network          string        `json:"network"`
	NetworkName      string        `json:"networkName"`
	Instance         string        `json:"instance"`
	Stage            Stage         `json:"stage"`
	Error            *ErrorView    `json:"error"`
	AuthURL          string        `json:"authUrl"`
	BrowserOpened    bool          `json:"browserOpened"`
	RefreshChannelID int64         `json:"refreshChannelId"`
	New              []AccountView `json:"new"`
	Existing         []AccountView `json:"existing"`
	Unavailable      []AccountView `json:"unavailable"`
	NotListedHelp    string        `json:"notListedHelp"`
}

// AccountView is one channel the login can see.
type AccountView struct {
	RemoteID    string `json:"remoteId"`
	Kind        string `json:"kind"`
	Handle      string `json:"handle"`
	DisplayName string `json:"displayName"`
	AvatarURL   string `json:"avatarUrl"`
	ProfileURL  string `json:"profileUrl"`
	Reason      string `json:"reason"`
	ChannelID   int64  `json:"channelId"`
	Removed     bool   `json:"removed"`
}

func (s *Service) snapshot(sess *session) Snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := sess.network.Descriptor()
	snap := Snapshot{ID: sess.id, Network: d.ID, NetworkName: d.Name, Instance: sess.instance, Stage: sess.stage,
		Error: view(sess.err, viewContext{network: d, instance: sess.typed}), AuthURL: sess.authURL, BrowserOpened: sess.browserOK,
		RefreshChannelID: sess.refreshID, NotListedHelp: d.NotListedHelp,
		New: []AccountView{}, Existing: []AccountView{}, Unavailable: []AccountView{}}
	for _, c := range sess.found {
		a := c.account
		v := AccountView{RemoteID: a.RemoteID, Kind: a.Kind, Handle: a.Handle, DisplayName: a.DisplayName,
			AvatarURL: a.AvatarURL, ProfileURL: a.ProfileURL, Reason: a.Reason}
		switch {
		case !a.Connectable:
			snap.Unavailable = append(snap.Unavailable, v)
		case c.existing != nil:
			v.ChannelID, v.Removed = c.existing.ID, c.existing.RemovedAt != nil
			snap.Existing = append(snap.Existing, v)
		default:
			snap.New = append(snap.New, v)
		}
	}
	return snap
}
