package ifyul

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
)

// ErrNoAccessToken means the session has no access token to read userinfo
// with: in the КПСИС flow the КПСИС keeps the provider's tokens, and the
// userinfo of the login (in Identity.Claims) is all the consumer gets.
var ErrNoAccessToken = errors.New("ifyul: the session has no access token")

// UserInfo reads the provider's userinfo again with the session's access
// token, for claims that change or that are fetched later, such as a
// person's certificates. It works in the direct flow only.
func (c *Client) UserInfo(ctx context.Context, s *Session) (map[string]json.RawMessage, error) {
	if s.AccessToken == "" {
		return nil, ErrNoAccessToken
	}
	info, err := c.provider(ctx)
	if err != nil {
		return nil, err
	}
	if info.meta.UserinfoEndpoint == "" {
		return nil, fmt.Errorf("ifyul: the provider advertises no userinfo endpoint")
	}
	return c.fetchUserInfo(ctx, info.meta.UserinfoEndpoint, s.AccessToken)
}
