-- Neovim (Debian's 0.7.2) as a second real LSP client: attach port-parity, wait for the opened file's
-- diagnostics, ask for a hover and the code actions, and write what arrived to $NVIM_RESULT.
local out = {}
local function log(s) table.insert(out, s) end
local function finish(code)
  vim.fn.writefile(out, os.getenv('NVIM_RESULT'))
  vim.cmd((code == 0) and 'qall!' or ('cquit! ' .. code))
end

local root = os.getenv('WORKSPACE')
-- NVIM_HOVER_FORMAT=plaintext: a client that renders no Markdown (what the server must then send).
local capabilities = vim.lsp.protocol.make_client_capabilities()
if os.getenv('NVIM_HOVER_FORMAT') then capabilities.textDocument.hover.contentFormat = { os.getenv('NVIM_HOVER_FORMAT') } end
local client_id = vim.lsp.start_client({
  name = 'port-parity',
  capabilities = capabilities,
  cmd = { 'node', os.getenv('LSP_SERVER'), '--stdio' },
  root_dir = root,
  workspace_folders = { { uri = vim.uri_from_fname(root), name = 'ws' } },
  handlers = {
    ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
      vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
      if vim.uri_to_fname(result.uri) ~= vim.api.nvim_buf_get_name(0) or #result.diagnostics == 0 then return end
      for _, d in ipairs(result.diagnostics) do
        log(string.format('DIAG %d:%d %s %s', d.range.start.line, d.range.start.character, d.code, d.message))
        log(string.format('DOCS %s %s', d.code, (d.codeDescription and d.codeDescription.href) or 'none'))
      end
      local client = vim.lsp.get_client_by_id(ctx.client_id)
      local d = result.diagnostics[1]
      local hov = client.request_sync('textDocument/hover', { textDocument = { uri = result.uri }, position = d.range.start }, 5000, 0)
      local contents = (hov and hov.result and hov.result.contents) or {}
      log('HOVER ' .. (contents.value or 'none'):gsub('\n', ' '))
      log('HOVERKIND ' .. (contents.kind or 'none'))
      -- What the user sees in the floating window: Neovim's own conversion of the hover into lines.
      for _, l in ipairs(vim.lsp.util.convert_input_to_markdown_lines(contents)) do log('HOVERLINE ' .. l) end
      local ca = client.request_sync('textDocument/codeAction', { textDocument = { uri = result.uri }, range = d.range, context = { diagnostics = result.diagnostics } }, 5000, 0)
      for _, a in ipairs((ca and ca.result) or {}) do log('ACTION ' .. a.title) end
      log('BUFFER DIAGNOSTICS ' .. #vim.diagnostic.get(0))
      finish(0)
    end,
  },
})
-- Attaching from init.lua itself does nothing in 0.7: wait until the file is loaded.
vim.api.nvim_create_autocmd('VimEnter', { callback = function() vim.lsp.buf_attach_client(0, client_id) end })
vim.defer_fn(function() log('TIMEOUT: no diagnostics for the open file'); finish(1) end, 20000)
