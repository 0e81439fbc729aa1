package blueskytest

import (
	"encoding/json"
	"net/http"
	"strings"
	"unicode/utf8"

	"herald/backend/network/networktest"
)

// The sending side of the fake's chat: sendMessage appends to the log
// (and so to getLog and listConvos) as the account; getMessages lists a
// conversation newest first. A fault set with InjectPublish applies to
// the next sendMessage as it does to the next createRecord.

// SentMessages returns the texts the account sent in conversation convo,
// oldest first.
func (s *Server) SentMessages(convo string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, ev := range s.inbox.chat {
		if ev.convo == convo && ev.senderDID == DID {
			out = append(out, ev.text)
		}
	}
	return out
}

// sendMessage: the conversation must exist and the account be in it; text
// at most 1,000 graphemes and 10,000 bytes (messageInput).
//
// https://docs.bsky.app/docs/api/chat-bsky-convo-send-message
func (s *Server) sendMessage(w http.ResponseWriter, r *http.Request, _ caller) {
	if !s.chatAllowed(w, r) {
		return
	}
	var in struct {
		ConvoID string `json:"convoId"`
		Message struct {
			Text string `json:"text"`
		} `json:"message"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&in); err != nil {
		WriteError(w, http.StatusBadRequest, "InvalidRequest", "Input must be a JSON object")
		return
	}
	if in.Message.Text == "" || len(in.Message.Text) > 10000 || utf8.RuneCountInString(in.Message.Text) > 1000 {
		WriteError(w, http.StatusBadRequest, "InvalidRequest", "Input/message/text must not be longer than 1000 graphemes")
		return
	}
	s.mu.Lock()
	fault := s.repo.fault
	s.repo.fault = networktest.PublishOK
	known := false
	for _, c := range s.inbox.convos {
		known = known || c == in.ConvoID
	}
	s.mu.Unlock()
	if !known {
		WriteError(w, http.StatusBadRequest, "InvalidConvo", "Convo not found")
		return
	}
	if s.writePublishFault(w, fault) {
		return
	}
	s.mu.Lock()
	ev := chatEvent{rev: s.nextTID(), convo: in.ConvoID, id: "msg" + s.nextTID(), senderDID: DID, text: in.Message.Text, sentAt: s.indexTime()}
	s.inbox.chat = append(s.inbox.chat, ev)
	out := s.messageJSON(ev)
	s.mu.Unlock()
	if fault == networktest.PublishDropAfterCommit {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return
			}
		}
	}
	WriteJSON(w, http.StatusOK, out)
}

// getMessages: a conversation's messages, newest first; the cursor is the
// rev of the last message returned.
//
// https://docs.bsky.app/docs/api/chat-bsky-convo-get-messages
func (s *Server) getMessages(w http.ResponseWriter, r *http.Request, _ caller) {
	if !s.chatAllowed(w, r) {
		return
	}
	q := r.URL.Query()
	limit, ok := s.limit(w, q.Get("limit"), 50, 100)
	if !ok {
		return
	}
	convo, cursor := q.Get("convoId"), q.Get("cursor")
	s.mu.Lock()
	defer s.mu.Unlock()
	known := false
	for _, c := range s.inbox.convos {
		known = known || c == convo
	}
	if !known {
		WriteError(w, http.StatusBadRequest, "InvalidConvo", "Convo not found")
		return
	}
	msgs := []map[string]any{}
	next := ""
	for i := len(s.inbox.chat) - 1; i >= 0; i-- {
		ev := s.inbox.chat[i]
		if ev.convo != convo || (cursor != "" && ev.rev >= cursor) {
			continue
		}
		if len(msgs) == limit {
			break
		}
		msgs = append(msgs, s.messageJSON(ev))
		next = ev.rev
	}
	out := map[string]any{"messages": msgs}
	if len(msgs) == limit && next != "" {
		out["cursor"] = next
	}
	WriteJSON(w, http.StatusOK, out)
}

// getConvoForMembers: the account's conversation with the other account,
// opened on first use.
//
// https://docs.bsky.app/docs/api/chat-bsky-convo-get-convo-for-members
func (s *Server) getConvoForMembers(w http.ResponseWriter, r *http.Request, _ caller) {
	if !s.chatAllowed(w, r) {
		return
	}
	members := r.URL.Query()["members"]
	if len(members) != 1 || members[0] != OtherDID {
		WriteError(w, http.StatusBadRequest, "InvalidRequest", "Recipient not found or cannot be messaged")
		return
	}
	s.mu.Lock()
	if len(s.inbox.convos) == 0 {
		s.inbox.convos = append(s.inbox.convos, "3convo"+strings.ToLower(s.nextTID()))
	}
	id := s.inbox.convos[0]
	s.mu.Unlock()
	WriteJSON(w, http.StatusOK, map[string]any{"convo": map[string]any{"id": id, "rev": "0",
		"members": []any{profileJSON(DID), profileJSON(OtherDID)}, "muted": false, "unreadCount": 0}})
}

// Convos returns the account's conversation ids.
func (s *Server) Convos() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.inbox.convos...)
}
